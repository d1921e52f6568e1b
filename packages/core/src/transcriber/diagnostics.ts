// SPDX-License-Identifier: MIT
// The full diagnostics report of a transcriber: the base report of the journal (journal.ts),
// plus the browser, the options (redacted), the audio, the metrics and the transcript's size.
// Part of the engine chunk: a transcriber whose engine never loaded gives the base report.
import { optionSpec, type TranscriberOptions } from '../options.js';
import type { AudioSource } from '../audio/sources.js';
import { redactSecrets, type LiveTranscriptError } from '../errors.js';
import { baseReport } from './base-report.js';
import type { EngineHost } from './engine.js';
import type { DiagnosticsOptions, DiagnosticsReport } from './types.js';

const REDACTED = '[redacted]';
/** Keys of `extraParams` whose values are left out (webhook credentials and the like). */
const SECRET_KEY = /auth|token|key|secret|pass|credential/i;

/** A URL without its query, fragment and user info. */
function bareUrl(url: unknown): string {
  const text = String(url);
  const base = text.split(/[?#]/)[0]!.replace(/\/\/[^/?#]*@/, `//${REDACTED}@`);
  return text.includes('?') ? `${base}?${REDACTED}` : base;
}

/** JSON data for any value: functions and other objects by their kind, URLs without queries. */
function plain(value: unknown): unknown {
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'string' && /^[a-z][\w+.-]*:\/\//i.test(value)) return bareUrl(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof URL) return bareUrl(value);
  if (Array.isArray(value)) return value.map(plain);
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return `[${value.constructor?.name}]`;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
}

/** The request settings of `tokenRequestInit` and the names of its headers; no value, no body. */
function requestInit(init: RequestInit): Record<string, unknown> {
  const { method, credentials, mode, cache, headers, body } = init;
  return {
    method,
    credentials,
    mode,
    cache,
    headers: headers && [...new Headers(headers).keys()],
    body: body == null ? undefined : REDACTED,
  };
}

function source(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (globalThis.HTMLMediaElement && value instanceof HTMLMediaElement) {
    return `<${value.localName}>`;
  }
  const kind = (value as AudioSource).kind;
  return typeof kind === 'string' ? `AudioSource (${kind})` : plain(value);
}

/** The options in use, without anything that could open a session or identify a user. */
export function redactOptions(options: TranscriberOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    out[key] =
      key === 'transcript'
        ? '[Transcript]'
        : key === 'source'
          ? source(value)
          : key === 'tokenRequestInit'
            ? requestInit(value as RequestInit)
            : key === 'extraParams'
              ? Object.fromEntries(
                  Object.entries(value as object).map(([name, item]) => [
                    name,
                    SECRET_KEY.test(name) ? REDACTED : plain(item),
                  ])
                )
              : optionSpec(key)?.type === 'url'
                ? bareUrl(value)
                : plain(value);
  }
  return out;
}

function browser(): DiagnosticsReport['browser'] {
  const nav = globalThis.navigator as
    | (Navigator & {
        userAgentData?: {
          brands: Array<{ brand: string; version: string }>;
          platform: string;
          mobile: boolean;
        };
      })
    | undefined;
  const data = nav?.userAgentData;
  return {
    userAgent: nav?.userAgent,
    brands: data?.brands.map(({ brand, version }) => `${brand} ${version}`),
    platform: data?.platform ?? nav?.platform,
    mobile: data?.mobile,
    language: nav?.language,
    online: nav?.onLine,
    secureContext: globalThis.isSecureContext,
    visibility: globalThis.document?.visibilityState,
  };
}

/**
 * The report as JSON data: every token of `secrets`, every credential-looking text (`token=...`,
 * `Authorization: ...`) and the query of every URL (`/token?user=...`, as error messages quote
 * the token URL) masked.
 */
function scrub(report: DiagnosticsReport, secrets: Iterable<string>): DiagnosticsReport {
  let json = redactSecrets(JSON.stringify(report)).replace(
    /((?:\w:\/\/|\/)[^\s"\\?#]*\?)[^\s"\\#]+/g,
    `$1${REDACTED}`
  );
  for (const secret of secrets) {
    if (secret) json = json.split(JSON.stringify(secret).slice(1, -1)).join(REDACTED);
  }
  return JSON.parse(json) as DiagnosticsReport;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * The whole report (see `LiveTranscriber.diagnostics()`): JSON data, without tokens, URL
 * queries or (unless asked) the transcript's text.
 */
export function buildDiagnostics(
  host: EngineHost,
  error: LiveTranscriptError | undefined,
  { includeTranscript = false }: DiagnosticsOptions = {}
): DiagnosticsReport {
  const { journal, transcript } = host;
  const metrics = host.metrics();
  const latencies = [...metrics.sendLatenciesMs].sort((a, b) => a - b);
  const round = (ms: number | undefined) => (ms === undefined ? ms : Math.round(ms * 10) / 10);
  const turns = transcript.turns;
  return scrub(
    {
      ...baseReport(host.state(), error, journal.lists),
      browser: browser(),
      engine: true,
      options: redactOptions(host.options()),
      audio: journal.audio?.(),
      metrics: {
        startToFirstFrameMs: round(metrics.startToFirstFrameMs),
        skippedSilenceMs: metrics.skippedSilenceMs,
        sendLatencyMs: {
          frames: latencies.length,
          p50: round(percentile(latencies, 0.5)),
          p95: round(percentile(latencies, 0.95)),
          max: round(latencies.at(-1)),
        },
      },
      transcript: {
        turns: turns.length,
        finalTurns: turns.filter((turn) => turn.final).length,
        text: includeTranscript ? transcript.text : undefined,
      },
    },
    journal.secrets
  );
}
