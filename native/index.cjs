'use strict';
// The compiled addon, built by node-gyp when the package is installed (and rebuilt for
// Electron by electron-builder).
module.exports = require('./build/Release/custos_native.node');
