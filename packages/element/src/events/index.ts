// SPDX-License-Identifier: MIT
export { LtStateChangeEvent } from './state-change.js';
export { LtBeginEvent, type LtBeginDetail } from './begin.js';
export { LtSpeechStartEvent, type LtSpeechStartDetail } from './speech-start.js';
export { LtTurnEvent, type LtTurnDetail } from './turn.js';
export { LtFinalEvent, type LtFinalDetail } from './final.js';
export { LtLevelEvent } from './level.js';
export { LtReconnectingEvent, type LtReconnectingDetail } from './reconnecting.js';
export { LtErrorEvent, type LtErrorDetail } from './error.js';
export { LtEndEvent, type LtEndDetail } from './end.js';
export { LtMessageEvent, type LtMessageDetail } from './message.js';
export { LtWarningEvent } from './warning.js';
export type { Level, LiveTranscriberWarning, StateChangeDetail } from '@live-transcript/core';
