#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace herald::console {

bool Translations::install(const QLocale &locale)
{
    for (QTranslator *old : findChildren<QTranslator *>()) {
        QCoreApplication::removeTranslator(old);
        old->deleteLater();
    }
    QLocale::setDefault(locale);
    auto *qt = new QTranslator(this);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto *herald = new QTranslator(this);
    if (!herald->load(locale, QStringLiteral("herald"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        return false;
    QCoreApplication::installTranslator(herald);
    return true;
}

} // namespace herald::console
