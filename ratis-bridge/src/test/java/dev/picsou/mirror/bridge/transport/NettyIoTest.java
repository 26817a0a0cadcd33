package dev.picsou.mirror.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

class NettyIoTest {

    @Test
    void linuxOnX86UsesTheNativeEpollTransport() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "the native library ships for linux-x86_64");
        assertThat(Epoll.isAvailable()).as("epoll unavailable: %s", Epoll.unavailabilityCause()).isTrue();
        assertThat(NettyIo.current()).isEqualTo(NettyIo.EPOLL);
        assertThat(NettyIo.current().socketChannel()).isEqualTo(EpollSocketChannel.class);
    }

    @Test
    void eachFlavourNamesChannelsOfItsOwnKind() {
        assertThat(NettyIo.NIO.socketChannel()).isEqualTo(NioSocketChannel.class);
        assertThat(NettyIo.NIO.serverChannel().getSimpleName()).isEqualTo("NioServerSocketChannel");
        assertThat(NettyIo.EPOLL.serverChannel().getSimpleName()).isEqualTo("EpollServerSocketChannel");
    }
}
