#include "StreamPosition.h"

#include "ChannelName.h"

#include <QRandomGenerator>

namespace herald {

bool StreamPosition::isValidEpoch(QStringView epoch)
{
    if (epoch.isEmpty() || epoch.size() > 32)
        return false;
    for (QChar c : epoch)
        if (!(c.isDigit() || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')))
            return false;
    return true;
}

QString StreamPosition::newEpoch()
{
    return QString::number(QRandomGenerator::global()->generate64() & MaxOffset, 36);
}

QJsonObject StreamPosition::toJson() const
{
    return {{protocol::stream::OffsetField, qint64(offset)}, {protocol::stream::EpochField, epoch}};
}

std::optional<StreamPosition> StreamPosition::fromJson(const QJsonObject &object)
{
    const QJsonValue offset = object.value(protocol::stream::OffsetField);
    const QJsonValue epoch = object.value(protocol::stream::EpochField);
    if (!offset.isDouble() || !epoch.isString() || object.size() != 2)
        return std::nullopt;
    const double value = offset.toDouble();
    if (value < 0 || value > double(MaxOffset) || value != double(qint64(value)) || !isValidEpoch(epoch.toString()))
        return std::nullopt;
    return StreamPosition{quint64(value), epoch.toString()};
}

std::optional<NamedPosition> NamedPosition::parse(QStringView text)
{
    const qsizetype epochColon = text.lastIndexOf(u':');
    if (epochColon <= 0)
        return std::nullopt;
    const qsizetype offsetColon = text.left(epochColon).lastIndexOf(u':');
    if (offsetColon <= 0)
        return std::nullopt;
    const QStringView stream = text.left(offsetColon);
    const QStringView offsetText = text.sliced(offsetColon + 1, epochColon - offsetColon - 1);
    const QStringView epoch = text.sliced(epochColon + 1);
    bool ok = false;
    const quint64 offset = offsetText.toULongLong(&ok);
    if (!ok || offsetText.startsWith(u'+') || offset > StreamPosition::MaxOffset ||
        !StreamPosition::isValidEpoch(epoch))
        return std::nullopt;
    if (stream != protocol::stream::Everyone && stream != protocol::stream::OwnUser &&
        !ChannelName::isValid(stream.toString()))
        return std::nullopt;
    return NamedPosition{stream.toString(), {offset, epoch.toString()}};
}

} // namespace herald
