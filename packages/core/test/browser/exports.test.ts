// SPDX-License-Identifier: MIT
import { expect } from '@open-wc/testing';
import * as core from '@live-transcript/core';

describe('@live-transcript/core in the browser', () => {
  it('imports from the built package and constructs typed errors', () => {
    const error = new core.LiveTranscriptError(
      'microphone-denied',
      'Allow the microphone and try again.'
    );
    expect(error).to.be.instanceOf(Error);
    expect(error.code).to.equal('microphone-denied');
    expect(error.retriable).to.equal(false);
    expect(core.isLiveTranscriptError(error)).to.equal(true);
  });
});
