// A tiny HTTP service: /healthz for the container's health check, / to show that the
// database named by PGHOST answers on its port. No dependencies: it builds offline.
const http = require('http');
const net = require('net');

const port = Number(process.env.PORT || 3000);

function databaseReachable(callback) {
  const socket = net.connect({ host: process.env.PGHOST || 'db', port: 5432 });
  socket.setTimeout(2000);
  socket.on('connect', () => { socket.destroy(); callback(true); });
  socket.on('error', () => callback(false));
  socket.on('timeout', () => { socket.destroy(); callback(false); });
}

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  databaseReachable((up) => {
    res.writeHead(up ? 200 : 503, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ app: 'pgdeck-sample-app', database: up ? 'reachable' : 'down' }) + '\n');
  });
});

server.listen(port, () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
