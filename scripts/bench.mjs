#!/usr/bin/env node
// SPDX-License-Identifier: MIT
console.log('Benchmarks arrive with the resampler and element issues.');
