#pragma once

#include "HttpResponse.h"

#include <QObject>

namespace herald {

struct HttpRequest;
class HttpRouter;
class ReceiptBook;

// GET /notifications/{id}, behind the API token: the receipt of a notification sent with "ack": true.
class ReceiptApi : public QObject
{
    Q_OBJECT
public:
    ReceiptApi(const ReceiptBook *receipts, HttpRouter *router, QObject *parent = nullptr);

private:
    HttpResponse receipt(const HttpRequest &request) const;

    const ReceiptBook *m_receipts;
};

} // namespace herald
