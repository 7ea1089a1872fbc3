#pragma once

#include <QJsonArray>
#include <QList>
#include <QWidget>

class QComboBox;
class QPlainTextEdit;

namespace herald::console {

// The server's live log with a minimum-level filter; keeps the most recent lines.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LogPanel(QWidget *parent = nullptr);

    static constexpr int MaxLines = 5000;
    QComboBox *levelFilter() const { return m_level; }
    QPlainTextEdit *view() const { return m_view; }

public slots:
    void append(const QJsonArray &lines, int dropped);
    void clear();

private:
    void rerender();
    bool passes(int level) const;

    QComboBox *m_level;
    QPlainTextEdit *m_view;
    QList<QPair<int, QString>> m_lines; // severity index, text
};

} // namespace herald::console
