package com.cameloauth.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token endpoint on a plain loopback socket, for answers WireMock cannot give: a body that goes on far past any
 * cap, or one that drips a byte at a time. It reads each request, then sends the status line and headers and the
 * body the test chose, and records how many body bytes it managed to write before the client closed the socket.
 */
final class RawHttpServer implements AutoCloseable {
    /** Writes the body of one answer; stops when the client goes away (the write throws). */
    interface Body {
        void write(OutputStream out, AtomicLong written) throws IOException;
    }

    private final ServerSocket socket;
    private final String head;
    private final Body body;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch clientClosed = new CountDownLatch(1);
    private final CountDownLatch bodyFinished = new CountDownLatch(1);
    private final Thread acceptor;

    RawHttpServer(String head, Body body) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.head = head;
        this.body = body;
        this.acceptor = new Thread(this::acceptLoop, "raw-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An endless chunked body: 64 KiB chunks of spaces after a JSON start, up to {@code limit} bytes in all. */
    static Body chunkedFlood(long limit) {
        return (out, written) -> {
            byte[] data = new byte[64 * 1024];
            java.util.Arrays.fill(data, (byte) ' ');
            byte[] start = "{\"access_token\":\"tok\",\"token_type\":\"Bearer\"".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(start, 0, data, 0, start.length);
            byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] end = "\r\n".getBytes(StandardCharsets.US_ASCII);
            while (written.get() < limit) {
                out.write(size);
                out.write(data);
                out.write(end);
                out.flush();
                written.addAndGet(data.length);
                java.util.Arrays.fill(data, 0, start.length, (byte) ' ');
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    /** A body of spaces without framing (the head declares its Content-Length), up to {@code limit} bytes. */
    static Body flood(long limit) {
        return (out, written) -> {
            byte[] data = new byte[64 * 1024];
            java.util.Arrays.fill(data, (byte) ' ');
            while (written.get() < limit) {
                out.write(data);
                out.flush();
                written.addAndGet(data.length);
            }
        };
    }

    /** A body of {@code length} bytes (declared in Content-Length by the head), one byte every {@code pauseMillis}. */
    static Body drip(long length, long pauseMillis) {
        return (out, written) -> {
            while (written.get() < length) {
                out.write(' ');
                out.flush();
                written.incrementAndGet();
                try {
                    Thread.sleep(pauseMillis); // the server's pace, not a test waiting for something
                } catch (InterruptedException e) {
                    return;
                }
            }
        };
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Requests received (read up to the end of their body). */
    int requests() {
        return requests.get();
    }

    /** Body bytes written before the client closed the connection (or all of them). */
    long bodyBytesWritten() {
        return written.get();
    }

    /** Counted down when a write failed because the client had closed the connection. */
    CountDownLatch clientClosed() {
        return clientClosed;
    }

    /** Counted down when the server wrote its whole body. */
    CountDownLatch bodyFinished() {
        return bodyFinished;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                serve(s);
            } catch (IOException e) {
                // the server socket was closed, or the client went away
            }
        }
    }

    private void serve(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int contentLength = readHeaders(in);
        in.readNBytes(contentLength);
        requests.incrementAndGet();
        OutputStream out = s.getOutputStream();
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            body.write(out, written);
            bodyFinished.countDown();
        } catch (IOException e) {
            clientClosed.countDown();
        }
    }

    /** Reads the request line and headers; returns the Content-Length. */
    private static int readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while (state < 4 && (c = in.read()) != -1) {
            buf.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        int length = 0;
        for (String line : buf.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        acceptor.interrupt();
    }
}
