// bench_latencyproxy DELAY_MS PORT...: for each PostgreSQL port on 127.0.0.1, listens on a
// free loopback port and forwards both ways, holding every chunk DELAY_MS before passing it
// on: a network's one-way latency, which this machine's loopback does not have. Prints
// "ready P1 P2 ..." (the listening ports, in the order given) once it accepts connections.
// bench_monitor --latency-ms runs it so that a round's time is set by the network, as in a
// fleet of separate hosts, rather than by the servers sharing these CPUs.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <deque>

namespace {

QElapsedTimer g_clock;

// One direction of one connection: what `from` sends reaches `to` delay ms later.
class DelayedPipe : public QObject {
public:
    DelayedPipe(QTcpSocket *from, QTcpSocket *to, int delayMs, QObject *parent)
        : QObject(parent)
        , m_to(to)
        , m_delayMs(delayMs)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &DelayedPipe::release);
        connect(from, &QTcpSocket::readyRead, this, [this, from] {
            m_queue.push_back({g_clock.elapsed() + m_delayMs, from->readAll()});
            if (!m_timer.isActive())
                m_timer.start(m_delayMs);
        });
    }

private:
    void release()
    {
        const qint64 now = g_clock.elapsed();
        if (m_to->state() != QAbstractSocket::ConnectedState) { // upstream still connecting
            m_timer.start(1);
            return;
        }
        while (!m_queue.empty() && m_queue.front().first <= now) {
            m_to->write(m_queue.front().second);
            m_queue.pop_front();
        }
        if (!m_queue.empty())
            m_timer.start(int(m_queue.front().first - now));
    }

    QTcpSocket *m_to;
    int m_delayMs;
    QTimer m_timer;
    std::deque<std::pair<qint64, QByteArray>> m_queue;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_latencyproxy DELAY_MS PORT...\n");
        return 2;
    }
    g_clock.start();
    const int delayMs = qMax(0, args[0].toInt());
    QList<quint16> listening;
    for (const QString &target : args.mid(1)) {
        const quint16 port = quint16(target.toUInt());
        auto *server = new QTcpServer(&app);
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            std::fprintf(stderr, "listen: %s\n", qPrintable(server->errorString()));
            return 1;
        }
        QObject::connect(server, &QTcpServer::newConnection, server, [server, port, delayMs] {
            while (QTcpSocket *client = server->nextPendingConnection()) {
                client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                auto *upstream = new QTcpSocket(client);
                upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                new DelayedPipe(client, upstream, delayMs, client);
                new DelayedPipe(upstream, client, delayMs, client);
                QObject::connect(upstream, &QTcpSocket::disconnected, client,
                                 &QTcpSocket::disconnectFromHost);
                QObject::connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
                    upstream->disconnectFromHost();
                    client->deleteLater();
                });
                upstream->connectToHost(QHostAddress::LocalHost, port);
            }
        });
        listening << server->serverPort();
    }
    std::printf("ready");
    for (quint16 p : listening)
        std::printf(" %u", unsigned(p));
    std::printf("\n");
    std::fflush(stdout);
    return app.exec();
}
