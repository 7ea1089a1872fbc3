#include "TextFrame.h"

#include "websocket/ServerFrame.h"

namespace herald {

TextFrame TextFrame::fromUtf8(const QByteArray &payload)
{
    return {encodeServerFrame(ServerOpcode::Text, payload), payload.size()};
}

} // namespace herald
