#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace herald::console {

class LogFilterModel;
class LogTableModel;

// The server's live log as a table (time, level, event, client, message) with the selected record's other
// fields beside it; a level and a text filter; "Follow" keeps the newest record in view, "Pause" holds new
// records back until resumed.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LogPanel(QWidget *parent = nullptr);

    QComboBox *levelFilter() const { return m_level; }
    QLineEdit *textFilter() const { return m_text; }
    QTableView *view() const { return m_view; }
    QPlainTextEdit *details() const { return m_details; }
    QPushButton *pauseButton() const { return m_pause; }
    QCheckBox *followBox() const { return m_follow; }
    LogTableModel *model() const { return m_model; }
    int heldCount() const { return int(m_held.size()); }

public slots:
    void append(const QJsonArray &records, int dropped);
    void clear();

private:
    void show(const QList<QJsonObject> &records);
    void setPaused(bool paused);
    void showDetails();

    LogTableModel *m_model;
    LogFilterModel *m_filter;
    QComboBox *m_level;
    QLineEdit *m_text;
    QCheckBox *m_follow;
    QPushButton *m_pause;
    QLabel *m_heldLabel;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QList<QJsonObject> m_held;
};

} // namespace herald::console
