package dev.picsou.mirror.bridge.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The I/O flavour of the cross-cluster channel: Netty's native epoll transport where it loads (Linux), Java NIO
 * elsewhere. Epoll does the same work with fewer system calls and no selector garbage (edge-triggered, no
 * selected-key sets), which matters on a replica whose core also runs its Raft server. {@code
 * -Dpicsou.netty.epoll=false} forces NIO (to compare, or to rule the native library out).
 *
 * <p>Event loops and channels must be of the same flavour: take both from the same instance.
 */
enum NettyIo {
    EPOLL, NIO;

    /** The flavour this process uses: epoll if available and not disabled. */
    static NettyIo current() {
        return Holder.CURRENT;
    }

    IoHandlerFactory handlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private static final class Holder {
        static final NettyIo CURRENT = Boolean.parseBoolean(System.getProperty("picsou.netty.epoll", "true"))
                && Epoll.isAvailable() ? EPOLL : NIO;
    }
}
