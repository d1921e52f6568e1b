// SPDX-License-Identifier: MIT
// A valid, non-default value for each row of the core options table, in the forms the surfaces
// take: the attribute's text, the property's value and the value the core gets. Table-driven
// tests walk the table with it, so a new option is tested without a new test.
import { OPTIONS, attributeName, type OptionSpec } from '@live-transcript/core';

export interface OptionSample {
  /** The core key (`keytermsPrompt`). */
  key: string;
  spec: OptionSpec;
  /** The element's property (`keyterms`). */
  property: string;
  /** The element's attribute, if it has one. */
  attribute: string | undefined;
  /** The attribute's text (`Lit, AssemblyAI`). */
  text: string | undefined;
  /** The value, as a property and as a core option. */
  value: unknown;
}

/** Values that must mean something (the rest are derived from the type and range). */
const MEANINGFUL: Record<string, unknown> = {
  speechModel: 'universal-streaming-english',
  mode: 'max_accuracy',
  prompt: 'Transcribe verbatim.',
  tokenUrl: '/another-token-route',
  url: 'wss://streaming.example.test/v3/ws',
  workletUrl: '/capture-worklet.js',
  deviceId: 'mic-42',
  source: 'display', // the attribute's strings: `microphone` (the default) or `display`
  keytermsPrompt: ['Lit', 'AssemblyAI'],
  languageCodes: ['en', 'fr'],
};

function valueOf(key: string, spec: OptionSpec): unknown {
  if (key in MEANINGFUL) return MEANINGFUL[key];
  const { type, min, max, values } = spec;
  if (type === 'boolean') return true;
  if (type === 'list') return ['alpha', 'beta'];
  if (type === 'string') return values ? values.find((v) => v !== spec.default) : `${key}-value`;
  if (type === 'number' || type === 'integer') {
    const middle =
      min !== undefined && max !== undefined
        ? (min + max) / 2
        : ((spec.default as number | undefined) ?? min ?? 0) + 125;
    return type === 'integer' ? Math.round(middle) : middle;
  }
  return undefined; // objects, functions: no attribute, no generic sample
}

/** The options that have a sample value (every one with an attribute, and more). */
export function optionSamples(): OptionSample[] {
  return Object.entries(OPTIONS as Record<string, OptionSpec>).flatMap(([key, spec]) => {
    const value = valueOf(key, spec);
    if (value === undefined) return [];
    const attribute = attributeName(key, spec);
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    return [
      {
        key,
        spec,
        property: spec.property ?? key,
        attribute,
        text: attribute && (spec.type === 'boolean' ? '' : text),
        value,
      },
    ];
  });
}
