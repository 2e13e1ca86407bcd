package dev.descent.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.spark.BarrierTaskContext;

/**
 * The tasks of a barrier stage talking directly, through task 0: every other task connects to it
 * once per stage (its address and a random token exchanged by one {@code allGather}, which costs
 * about a second: Spark 4.0's barrier tasks look for the coordinator's answer once a second), then
 * each synchronisation is a message from every task to task 0 and one back. Task 0 adds the
 * messages in task order, so every task gets the same sum on every attempt. About 2·(P − 1)
 * messages of θ's size per synchronisation, against P² through the driver for {@code allGather}.
 *
 * <p>Reads wait a second at a time, asking between two waits whether Spark has killed the task
 * (a failed barrier stage kills the others); a task that dies closes its sockets, which ends the
 * others' reads at once.
 */
final class Channel implements AutoCloseable {
    /** How long a task waits, at most, for the others at one synchronisation. */
    private static final long WAIT_MS = 30L * 60 * 1000;

    private final BarrierTaskContext task;
    private final ServerSocket server; // task 0's
    private final Socket[] peers; // task 0: one per other task, by partition; others: [0] to task 0
    private final DataInputStream[] in;
    private final DataOutputStream[] out;

    private Channel(BarrierTaskContext task, ServerSocket server, Socket[] peers) throws IOException {
        this.task = task;
        this.server = server;
        this.peers = peers;
        this.in = new DataInputStream[peers.length];
        this.out = new DataOutputStream[peers.length];
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] != null) {
                peers[i].setSoTimeout(1000);
                peers[i].setTcpNoDelay(true);
                in[i] = new DataInputStream(new BufferedInputStream(new Patient(peers[i].getInputStream()), 1 << 16));
                out[i] = new DataOutputStream(new BufferedOutputStream(peers[i].getOutputStream(), 1 << 16));
            }
        }
    }

    /** Opens the stage's channel: task 0 listens, the others connect to it. */
    static Channel open(BarrierTaskContext task) {
        int me = task.partitionId(), tasks = task.getTaskInfos().length;
        ServerSocket server = null;
        try {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            String mine = "";
            if (me == 0) {
                server = new ServerSocket();
                server.bind(new InetSocketAddress(0), tasks);
                String host = task.getTaskInfos()[0].address();
                host = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
                mine = host + " " + server.getLocalPort() + " " + token;
            }
            String[] hub = task.allGather(mine)[0].split(" ");
            if (me == 0) {
                return new Channel(task, server, accept(task, server, tasks, token));
            }
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(hub[0], Integer.parseInt(hub[1])), 60_000);
            DataOutputStream hello = new DataOutputStream(socket.getOutputStream());
            hello.writeUTF(hub[2]);
            hello.writeInt(me);
            hello.flush();
            return new Channel(task, null, new Socket[] {socket});
        } catch (IOException e) {
            closeQuietly(server);
            throw new IllegalStateException("task " + me + " of a barrier stage could not reach task 0: " + e, e);
        }
    }

    /** Task 0: a connection from every other task, each checked by the token, by partition. */
    private static Socket[] accept(BarrierTaskContext task, ServerSocket server, int tasks, String token)
            throws IOException {
        Socket[] peers = new Socket[tasks];
        server.setSoTimeout(1000);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        for (int connected = 1; connected < tasks; ) {
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                task.killTaskIfInterrupted();
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("the other tasks did not connect in " + WAIT_MS / 1000 + " s");
                }
                continue;
            }
            s.setSoTimeout(60_000);
            DataInputStream hello = new DataInputStream(s.getInputStream());
            int from = hello.readUTF().equals(token) ? hello.readInt() : -1;
            if (from <= 0 || from >= tasks || peers[from] != null) {
                s.close(); // not one of ours
                continue;
            }
            peers[from] = s;
            connected++;
        }
        return peers;
    }

    /** Every task's partial sums, added in task order by task 0: the same sum on every task. */
    Partial allReduce(Partial mine) {
        try {
            if (task.partitionId() != 0) {
                write(out[0], mine);
                return read(in[0]);
            }
            Partial sum = new Partial().add(mine);
            for (int i = 1; i < peers.length; i++) {
                sum.add(read(in[i]));
            }
            for (int i = 1; i < peers.length; i++) {
                write(out[i], sum);
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException("a barrier synchronisation failed on task " + task.partitionId()
                    + " (another task of the stage may have failed)", e);
        }
    }

    private static void write(DataOutputStream out, Partial p) throws IOException {
        int n = p.values == null ? -1 : p.values.length;
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeDouble(p.values[i]);
        }
        out.writeDouble(p.loss);
        out.writeDouble(p.correct);
        out.writeLong(p.rows);
        out.writeDouble(p.weight);
        out.writeLong(p.steps);
        out.flush();
    }

    private static Partial read(DataInputStream in) throws IOException {
        Partial p = new Partial();
        int n = in.readInt();
        if (n >= 0) {
            p.values = new double[n];
            for (int i = 0; i < n; i++) {
                p.values[i] = in.readDouble();
            }
        }
        p.loss = in.readDouble();
        p.correct = in.readDouble();
        p.rows = in.readLong();
        p.weight = in.readDouble();
        p.steps = in.readLong();
        return p;
    }

    @Override
    public void close() {
        for (Socket s : peers) {
            closeQuietly(s);
        }
        closeQuietly(server);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on the way out: nothing more to do
            }
        }
    }

    /** A socket's stream whose reads wait a second at a time, checking between waits that the task lives. */
    private final class Patient extends InputStream {
        private final InputStream base;

        Patient(InputStream base) {
            this.base = base;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (true) {
                try {
                    return base.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    task.killTaskIfInterrupted();
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("no message from the other tasks in " + WAIT_MS / 1000 + " s");
                    }
                }
            }
        }
    }
}
