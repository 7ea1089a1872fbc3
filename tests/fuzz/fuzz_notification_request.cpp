// libFuzzer target: a POST /notify body, as the HTTP API validates it.
#include "notification/NotificationRequest.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    herald::NotificationRequest notification;
    const herald::NotificationRequest::Validation validation =
        herald::NotificationRequest::validate(body, &notification);
    // A refusal always names at least one problem: the caller gets a 400 or 422 that says what is wrong.
    if (validation.outcome != herald::NotificationRequest::Validation::Outcome::Valid && validation.errors.isEmpty())
        __builtin_trap();
    return 0;
}
