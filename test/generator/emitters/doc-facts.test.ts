/** Unit tests of generator/emitters/doc-facts.ts: condition text and reference anchors. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeCondition, referenceAnchor } from "../../../generator/emitters/doc-facts.js";

const conditions: [string, Parameters<typeof describeCondition>[0], string][] = [
  ["a symbol", "CONFIG_KVM", "CONFIG_KVM"],
  ["all", { all: ["A", "B"] }, "A and B"],
  ["any", { any: ["A", "B"] }, "A or B"],
  ["not", { not: "A" }, "not A"],
  ["nested", { all: ["A", { any: ["B", { not: "C" }] }] }, "A and (B or not C)"],
];
for (const [name, cond, want] of conditions)
  test(`condition: ${name}`, () => assert.equal(describeCondition(cond), want));

const anchors: [string, string, string, string, string][] = [
  ["command", "QMP", "run-state.json", "query-status", "#command-QMP-run-state.query-status"],
  ["struct", "QMP", "acpi.json", "ACPIOSTInfo", "#object-QMP-acpi.ACPIOSTInfo"],
  ["union", "QMP", "block-export.json", "BlockExportOptions", "#object-QMP-block-export.BlockExportOptions"],
  ["event", "QMP", "run-state.json", "SHUTDOWN", "#event-QMP-run-state.SHUTDOWN"],
  ["command", "QGA", "qapi-schema.json", "guest-exec", "#command-QGA-qapi-schema.guest-exec"],
  ["command", "QSD", "../../qapi/block-core.json", "blockdev-add", "#command-QSD-block-core.blockdev-add"],
];
for (const [meta, ns, module, name, want] of anchors) {
  test(`anchor: ${meta} ${name}`, () => assert.equal(referenceAnchor(ns, meta, module, name), want));
}
