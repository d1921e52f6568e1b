// SPDX-License-Identifier: MIT
// The diagnostics report without the engine chunk (not loaded yet, or it could not load). Up
// front for the bindings (in a module of its own, so that they do not load the journal).
import type { LiveTranscriptError } from '../errors.js';
import { VERSION } from '../version.js';
import type { JournalLists } from './journal.js';
import type { DiagnosticsReport, TranscriberState } from './types.js';

/**
 * The version, the state, the error and the lists, as JSON data. There is no token to hide: the
 * engine fetches them.
 */
export const baseReport = (
  state: TranscriberState,
  error: LiveTranscriptError | undefined,
  lists?: JournalLists
): DiagnosticsReport =>
  JSON.parse(
    JSON.stringify({
      library: { name: '@live-transcript/core', version: VERSION },
      createdAt: new Date().toISOString(),
      browser: { userAgent: globalThis.navigator?.userAgent },
      engine: false,
      state,
      error,
      states: [],
      messages: [],
      closes: [],
      errors: [],
      warnings: [],
      ...lists,
    })
  ) as DiagnosticsReport;
