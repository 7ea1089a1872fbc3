// The Node.js peer of bench/compare.sh: the same /ws + POST /notify contract as Herald, written the way a
// Node developer would write a broadcast server on the `ws` package. Usage: node server.js PORT
'use strict';

const http = require('http');
const crypto = require('crypto');
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || process.env.PORT || 8000);
const wss = new WebSocketServer({ noServer: true });

function broadcast(payload) {
  let recipients = 0;
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) {
      client.send(payload);
      recipients++;
    }
  }
  return recipients;
}

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/notify') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      let request;
      try {
        request = JSON.parse(body);
      } catch {
        return reply(res, 400, { error: 'invalid_json' });
      }
      if (typeof request.message !== 'string' || request.message.length === 0) {
        return reply(res, 422, { error: 'validation_error', field: 'message' });
      }
      const notification = {
        type: request.type || 'notification',
        message: request.message,
        data: request.data ?? null,
        id: crypto.randomUUID(),
        timestamp: new Date().toISOString(),
      };
      const recipients = broadcast(JSON.stringify(notification));
      reply(res, 200, { status: 'sent', notification_id: notification.id, recipients });
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/health') {
    return reply(res, 200, { status: 'healthy', connections: wss.clients.size });
  }
  reply(res, 404, { error: 'not_found' });
});

server.on('upgrade', (req, socket, head) => {
  if (req.url !== '/ws') {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

wss.on('connection', (ws) => {
  const clientId = crypto.randomUUID();
  ws.send(JSON.stringify({ type: 'welcome', client_id: clientId, timestamp: new Date().toISOString() }));
  ws.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return ws.send(JSON.stringify({ type: 'error', code: 'invalid_json' }));
    }
    if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
  });
});

server.listen(port, '127.0.0.1', 4096, () => console.log(`node-ws listening on ${port}`));
