// SPDX-License-Identifier: MIT
import { css } from 'lit';

/** Every colour pair meets WCAG AA (4.5:1) on its background, in both schemes. */
export const styles = css`
  :host {
    /* The reader's preference; a page chooses with color-scheme on the element. */
    color-scheme: light dark;
    --_fg: var(--live-transcript-text-color, light-dark(#1f2328, #e6edf3));
    --_bg: var(--live-transcript-background, light-dark(#ffffff, #0d1117));
    --_muted: var(--live-transcript-muted-color, light-dark(#59636e, #9198a1));
    --_partial: var(--live-transcript-partial-color, light-dark(#59636e, #9198a1));
    --_border: var(--live-transcript-border-color, light-dark(#d1d9e0, #3d444d));
    --_accent: var(--live-transcript-accent-color, light-dark(#0969da, #4493f8));
    --_on-accent: var(--live-transcript-on-accent-color, light-dark(#ffffff, #0d1117));
    --_stop: var(--live-transcript-stop-color, light-dark(#cf222e, #f85149));
    --_error: var(--live-transcript-error-color, light-dark(#d1242f, #ff7b72));
    --_warning: var(--live-transcript-warning-color, light-dark(#9a6700, #d29922));
    --_meter: var(--live-transcript-level-color, light-dark(#1a7f37, #3fb950));
    --_speaker: var(--live-transcript-speaker-color, light-dark(#8250df, #bc8cff));
    --_space: var(--live-transcript-spacing, 0.75rem);
    display: block;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--live-transcript-radius, 0.75rem);
    font-family: var(
      --live-transcript-font-family,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      sans-serif
    );
    font-size: var(--live-transcript-font-size, 1rem);
    line-height: var(--live-transcript-line-height, 1.5);
  }
  :host([hidden]) {
    display: none;
  }
  [hidden] {
    display: none !important;
  }
  .bar,
  [part='error'] {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space);
    border-bottom: 1px solid var(--_border);
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.375em 1em;
    border: 1px solid transparent;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  select {
    min-width: 0;
    max-width: 12rem;
    padding: 0.25em 0.5em;
    border: 1px solid var(--_border);
    border-radius: 0.375em;
    background: var(--_bg);
    color: inherit;
    font: inherit;
    font-size: 0.875em;
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  .running {
    background: var(--_stop);
  }
  .icon {
    width: 0.625em;
    height: 0.625em;
    border-radius: 50%;
    background: currentColor;
  }
  .running .icon {
    border-radius: 2px;
  }
  [part='status'] {
    flex: 1;
    min-width: 0;
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part='warning'] {
    display: block;
    color: var(--_warning);
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [part='level'] {
    width: 4rem;
    height: 0.375rem;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_muted) 30%, transparent);
    overflow: hidden;
  }
  [part='level'] > div {
    height: 100%;
    background: var(--_meter);
    transform: scaleX(var(--_value, 0));
    transform-origin: left;
    transition: transform 60ms linear;
  }
  :host(:dir(rtl)) [part='level'] > div {
    transform-origin: right;
  }
  @media (prefers-reduced-motion: reduce) {
    [part='level'] > div {
      transition: none;
    }
  }
  @media (forced-colors: active) {
    [part='level'] {
      border: 1px solid CanvasText;
    }
    [part='level'] > div {
      background: Highlight;
    }
  }
  [part='error'] {
    color: var(--_error);
    font-size: 0.875em;
  }
  [part='error'] span {
    flex: 1;
    overflow-wrap: anywhere;
  }
  [part='retry'],
  [part='diagnostics'] {
    background: transparent;
    border-color: currentColor;
    color: inherit;
    padding: 0.125em 0.875em;
  }
  [part='transcript']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  [part='transcript'] {
    max-height: var(--live-transcript-max-height, 20rem);
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: var(--_space);
  }
  .chunk {
    content-visibility: auto;
    contain-intrinsic-size: auto 75em;
  }
  [part~='turn'],
  [part='partial'] {
    margin: 0 0 0.5em;
    max-inline-size: var(--live-transcript-line-length, 70ch);
    overflow-wrap: anywhere;
  }
  [part='partial'] {
    color: var(--_partial);
    font-style: italic;
  }
  [part='speaker'] {
    color: var(--_speaker);
    font-weight: 600;
  }
  [part='timestamp'] {
    color: var(--_muted);
    font-size: 0.8125em;
    font-variant-numeric: tabular-nums;
  }
  [part='empty'] {
    margin: 0;
    padding: 1.5rem 0;
    color: var(--_muted);
    text-align: center;
  }
`;
