#pragma once

#include <QList>
#include <QObject>

namespace herald {

// Holds back one thread's writes to its clients until the current turn of the event loop is over, then lets
// each connection send everything it was given in that turn at once: with several broadcasts (or a broadcast
// and an answer) in one turn, a client costs one system call instead of one per frame, as uWebSockets "corks"
// a socket. A connection is held from its first frame of a turn; the turn's end is one posted call, which
// runs after the socket notifiers and posted events that were ready when the turn began.
class Cork : public QObject
{
    Q_OBJECT
public:
    // What the cork holds back: it sends what it gathered when uncorked.
    class Writer
    {
    public:
        virtual void uncork() = 0;

    protected:
        ~Writer() = default;
    };

    explicit Cork(QObject *parent = nullptr);

    // Holds writer until the turn ends; returns its place, for forget().
    qsizetype hold(Writer *writer);
    // The writer is going (or sent what it had already): it is not uncorked.
    void forget(qsizetype place) { m_held[place] = nullptr; }
    // Uncorks every writer held, in the order they were held. Runs by itself at the end of the turn.
    void flush();

private:
    QList<Writer *> m_held;
    bool m_flushPosted = false;
};

} // namespace herald
