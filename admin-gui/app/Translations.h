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

    // Installs the translators for locale (replacing earlier ones); false if Herald has no translation for it.
    // English, the source language, is always installed beneath: it holds the English plural forms, and is what
    // shows wherever the chosen language has no translation.
    bool install(const QLocale &locale);
};

} // namespace herald::console
