// The Node.js peer of bench/compare.sh: the same /ws + POST /notify contract as Herald, written the way a
// Node developer would write a broadcast server on the `ws` package: channels are a Map of name -> Set of
// sockets, joined at connect (/ws?channels=a,b) or with {"type":"subscribe"}, and a notification with "channel"
// goes to that set only. Usage: node server.js PORT
'use strict';

const http = require('http');
const crypto = require('crypto');
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || process.env.PORT || 8000);
// PERMESSAGE_DEFLATE=1 (bench/compression.sh): ws's permessage-deflate with its defaults, as its docs show it.
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: process.env.PERMESSAGE_DEFLATE === '1' });
const channels = new Map(); // name -> Set of sockets

function join(ws, channel) {
  if (!channels.has(channel)) channels.set(channel, new Set());
  channels.get(channel).add(ws);
  ws.channels.add(channel);
}

function leaveAll(ws) {
  for (const channel of ws.channels) {
    const members = channels.get(channel);
    members.delete(ws);
    if (members.size === 0) channels.delete(channel);
  }
}

function broadcast(payload, channel) {
  let recipients = 0;
  const targets = channel === undefined ? wss.clients : (channels.get(channel) || []);
  for (const client of targets) {
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
      if (typeof request.channel === 'string') notification.channel = request.channel;
      const recipients = broadcast(JSON.stringify(notification), notification.channel);
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
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/ws') {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, url));
});

wss.on('connection', (ws, req, url) => {
  const clientId = crypto.randomUUID();
  ws.channels = new Set();
  for (const channel of (url.searchParams.get('channels') || '').split(',')) {
    if (channel) join(ws, channel);
  }
  ws.on('close', () => leaveAll(ws));
  ws.send(JSON.stringify({ type: 'welcome', client_id: clientId, timestamp: new Date().toISOString() }));
  ws.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return ws.send(JSON.stringify({ type: 'error', code: 'invalid_json' }));
    }
    if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
    if (message.type === 'subscribe' && typeof message.channel === 'string') {
      join(ws, message.channel);
      ws.send(JSON.stringify({ type: 'subscribed', channel: message.channel }));
    }
  });
});

server.listen(port, '127.0.0.1', 4096, () => console.log(`node-ws listening on ${port}`));
