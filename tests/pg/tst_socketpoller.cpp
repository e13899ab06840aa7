// SocketPoller on real socket pairs: only ready sockets are called, a hung-up socket nobody
// listens to does not spin the loop, and a handler may drop its own watch and the last
// reference to the poller.
#include "pg/socketpoller.h"

#include <QPointer>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <vector>

using namespace pgdeck;

namespace {

struct Pair {
    int mine = -1, peer = -1;
    Pair()
    {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0) {
            mine = fds[0];
            peer = fds[1];
        }
    }
    ~Pair()
    {
        for (int fd : {mine, peer})
            if (fd >= 0)
                ::close(fd);
    }
    Pair(const Pair &) = delete;
    Pair &operator=(const Pair &) = delete;
    void send() const { QCOMPARE(::write(peer, "x", 1), ssize_t(1)); }
    void drain() const
    {
        char buf[16];
        QVERIFY(::read(mine, buf, sizeof buf) > 0);
    }
};

void spin(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

} // namespace

class TestSocketPoller : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void onlyReadySocketsAreCalled()
    {
        auto poller = SocketPoller::forCurrentThread();
        QCOMPARE(SocketPoller::forCurrentThread(), poller); // one per thread
        std::vector<std::unique_ptr<Pair>> pairs;
        std::vector<int> calls(100, 0);
        for (int i = 0; i < 100; ++i) {
            pairs.push_back(std::make_unique<Pair>());
            QVERIFY(pairs.back()->mine >= 0);
            poller->watch(pairs.back()->mine, SocketPoller::Read, [&calls, &pairs, i](int event) {
                QCOMPARE(event, int(SocketPoller::Read));
                ++calls[size_t(i)];
                pairs[size_t(i)]->drain();
            });
        }
        QCOMPARE(poller->watchedCount(), 100);
        spin(50);
        QCOMPARE(std::count(calls.begin(), calls.end(), 0), 100L);
        for (int i : {3, 50, 97})
            pairs[size_t(i)]->send();
        QTRY_COMPARE(std::count(calls.begin(), calls.end(), 1), 3L);
        spin(50); // drained: level-triggered, so no further calls
        QCOMPARE(calls[3] + calls[50] + calls[97], 3);
        QCOMPARE(std::count(calls.begin(), calls.end(), 0), 97L);
        for (const auto &p : pairs)
            poller->unwatch(p->mine);
        QCOMPARE(poller->watchedCount(), 0);
    }

    void writableAndHungUpSockets()
    {
        auto poller = SocketPoller::forCurrentThread();
        Pair p;
        int writes = 0, reads = 0;
        poller->watch(p.mine, SocketPoller::Write, [&](int event) {
            (event == SocketPoller::Write ? writes : reads)++;
            poller->watch(p.mine, 0); // once is enough
        });
        QTRY_COMPARE(writes, 1);
        // The peer goes away while nothing is asked for: no wake-ups at all, where a
        // registered hung-up socket would wake the loop over and over.
        ::close(p.peer);
        p.peer = -1;
        spin(100);
        QCOMPARE(reads + writes, 1);
        poller->watch(p.mine, SocketPoller::Read, [&](int event) {
            QCOMPARE(event, int(SocketPoller::Read)); // end of file reads as readable
            ++reads;
            poller->unwatch(p.mine);
        });
        QTRY_COMPARE(reads, 1);
    }

    void aHandlerMayDropTheLastReference()
    {
        auto poller = SocketPoller::forCurrentThread();
        QPointer<SocketPoller> alive(poller.get());
        Pair p;
        int calls = 0;
        poller->watch(p.mine, SocketPoller::Read, [&](int) {
            ++calls;
            poller->unwatch(p.mine);
            poller.reset(); // the last user lets go from inside the dispatch
        });
        p.send();
        QTRY_COMPARE(calls, 1);
        QTRY_VERIFY(alive.isNull()); // deleted once the dispatch has returned
        QVERIFY(SocketPoller::forCurrentThread().get() != nullptr); // a new one on demand
    }

    void eachThreadHasItsOwn()
    {
        auto here = SocketPoller::forCurrentThread();
        SocketPoller *there = nullptr;
        QThread *thread = QThread::create([&] { there = SocketPoller::forCurrentThread().get(); });
        thread->start();
        QVERIFY(thread->wait(5000));
        delete thread;
        QVERIFY(there != nullptr);
        QVERIFY(there != here.get());
    }
};

QTEST_GUILESS_MAIN(TestSocketPoller)
#include "tst_socketpoller.moc"
