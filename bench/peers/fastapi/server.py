"""The FastAPI peer of bench/compare.sh: the same /ws + POST /notify contract as Herald, written as the usual
FastAPI broadcast service (the ConnectionManager of FastAPI's WebSocket documentation), served by uvicorn with
uvloop and httptools as production runs it. Usage: python3 server.py PORT"""

import json
import sys
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Extra


class Notification(BaseModel):
    message: str
    type: str = "notification"
    data: Optional[Dict[str, Any]] = None

    class Config:
        extra = Extra.forbid


class ConnectionManager:
    def __init__(self) -> None:
        self.active_connections: List[WebSocket] = []

    async def connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket) -> None:
        self.active_connections.remove(websocket)

    async def broadcast(self, message: str) -> int:
        for connection in self.active_connections:
            await connection.send_text(message)
        return len(self.active_connections)


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


app = FastAPI()
manager = ConnectionManager()


@app.post("/notify")
async def notify(notification: Notification) -> Dict[str, Any]:
    notification_id = str(uuid.uuid4())
    payload = json.dumps(
        {
            "type": notification.type,
            "message": notification.message,
            "data": notification.data,
            "id": notification_id,
            "timestamp": now(),
        }
    )
    recipients = await manager.broadcast(payload)
    return {"status": "sent", "notification_id": notification_id, "recipients": recipients}


@app.get("/health")
async def health() -> Dict[str, Any]:
    return {"status": "healthy", "connections": len(manager.active_connections)}


@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    await manager.connect(websocket)
    await websocket.send_text(json.dumps({"type": "welcome", "client_id": str(uuid.uuid4()), "timestamp": now()}))
    try:
        while True:
            text = await websocket.receive_text()
            try:
                message = json.loads(text)
            except ValueError:
                await websocket.send_text(json.dumps({"type": "error", "code": "invalid_json"}))
                continue
            if message.get("type") == "ping":
                await websocket.send_text(json.dumps({"type": "pong", "timestamp": now()}))
    except WebSocketDisconnect:
        manager.disconnect(websocket)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    uvicorn.run(app, host="127.0.0.1", port=port, loop="uvloop", http="httptools", ws="websockets",
                log_level="warning", backlog=4096)
