// The sample app's own test: the health endpoint answers, and the PostgreSQL service the
// pipeline provides (PGHOST/PGPORT) accepts connections when there is one.
const assert = require('assert');
const http = require('http');
const net = require('net');
process.env.PORT = process.env.PORT || '3999';
require('./server.js');

function checkDatabase(done) {
  if (!process.env.PGHOST) return done();
  const port = Number(process.env.PGPORT || 5432);
  net.connect(port, process.env.PGHOST)
    .on('connect', function () {
      console.log(`ok - PostgreSQL at ${process.env.PGHOST}:${port} accepts connections`);
      this.destroy();
      done();
    })
    .on('error', (e) => { console.error(e); process.exit(1); });
}

setTimeout(() => {
  http.get(`http://127.0.0.1:${process.env.PORT}/healthz`, (res) => {
    assert.strictEqual(res.statusCode, 200);
    console.log('ok - /healthz answers 200');
    checkDatabase(() => process.exit(0));
  }).on('error', (e) => { console.error(e); process.exit(1); });
}, 200);
