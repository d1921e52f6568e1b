#!/usr/bin/env node
// SPDX-License-Identifier: MIT
console.log('The example server arrives with the examples issue; run `npm test` for now.');
