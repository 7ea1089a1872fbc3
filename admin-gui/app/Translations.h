#pragma once

#include <QLocale>
#include <QObject>

namespace herald::console {

// Loads the console's own translation (compiled in from translations/) and Qt's, for one locale.
class Translations : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Installs the translators for locale (replacing earlier ones); false if Herald has no translation for it
    // (English then shows, which is also what "en" asks for).
    bool install(const QLocale &locale);
};

} // namespace herald::console
