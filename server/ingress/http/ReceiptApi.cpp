#include "ReceiptApi.h"

#include "HttpRequest.h"
#include "HttpRouter.h"
#include "receipts/ReceiptBook.h"

namespace herald {

ReceiptApi::ReceiptApi(const ReceiptBook *receipts, HttpRouter *router, QObject *parent)
    : QObject(parent)
    , m_receipts(receipts)
{
    router->addRoute(
        QByteArrayLiteral("GET"), QStringLiteral("/notifications/{name}"),
        [this](const HttpRequest &request) { return receipt(request); }, HttpRouter::Access::Token);
}

HttpResponse ReceiptApi::receipt(const HttpRequest &request) const
{
    const QJsonObject receipt = m_receipts->describe(request.pathParameter);
    if (receipt.isEmpty())
        return HttpResponse::error(404, QStringLiteral("not_found"),
                                   QStringLiteral("No receipt for %1: it was not sent with \"ack\": true, or its "
                                                  "RECEIPT_RETENTION has passed")
                                       .arg(request.pathParameter.left(64)));
    return HttpResponse::json(200, receipt);
}

} // namespace herald
