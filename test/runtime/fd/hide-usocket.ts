/**
 * Loaded with `node --import` by fd-passing.qemu.test.ts: makes the optional
 * package usocket unresolvable in that process, as on a machine where it is not
 * installed (hooks in hide-usocket-hooks.ts).
 */
import { register } from "node:module";

register("./hide-usocket-hooks.js", import.meta.url);
