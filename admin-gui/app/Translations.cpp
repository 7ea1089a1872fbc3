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
    auto *english = new QTranslator(this);
    if (english->load(QStringLiteral("herald_en"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(english);
    auto *herald = new QTranslator(this);
    if (!herald->load(locale, QStringLiteral("herald"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        return false;
    if (herald->language().startsWith(QLatin1StringView("en")))
        return true;                             // the English one, already installed
    QCoreApplication::installTranslator(herald); // asked last, so it wins
    return true;
}

} // namespace herald::console
