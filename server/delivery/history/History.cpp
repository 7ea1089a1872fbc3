#include "History.h"

namespace herald {

QString HistoryRead::reasonName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Complete:
        break;
    case Outcome::NotKept:
        return QStringLiteral("not_kept");
    case Outcome::EpochChanged:
        return QStringLiteral("epoch_changed");
    case Outcome::TooOld:
        return QStringLiteral("too_old");
    case Outcome::TooMany:
        return QStringLiteral("too_many");
    case Outcome::Unavailable:
        return QStringLiteral("unavailable");
    }
    return {};
}

} // namespace herald
