/** Module resolution hooks (see hide-usocket.ts): `usocket` resolves to nothing, as when it is not installed. */
export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (specifier === "usocket") {
    throw Object.assign(new Error(`Cannot find package 'usocket' (hidden by the test)`), {
      code: "ERR_MODULE_NOT_FOUND",
    });
  }
  return next(specifier, context);
}
