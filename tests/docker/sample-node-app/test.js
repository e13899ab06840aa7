// The sample app's own test: the health endpoint answers.
const assert = require('assert');
const http = require('http');
process.env.PORT = process.env.PORT || '3999';
require('./server.js');
setTimeout(() => {
  http.get(`http://127.0.0.1:${process.env.PORT}/healthz`, (res) => {
    assert.strictEqual(res.statusCode, 200);
    console.log('ok - /healthz answers 200');
    process.exit(0);
  }).on('error', (e) => { console.error(e); process.exit(1); });
}, 200);
