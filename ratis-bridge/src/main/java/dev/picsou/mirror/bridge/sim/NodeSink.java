package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.wire.FrameCodec;

/**
 * Where one replica's engine puts its actions. Carries them out at once without calling back into any engine:
 * frames go on the replica's uplink, deliveries become proposals to the receiving site, QUACKs are checked and
 * persisted. Actions that do not fit the replica's role are recorded as violations and dropped.
 */
final class NodeSink implements ActionSink {
    private final SimRun run;
    private final SimNode node;

    NodeSink(SimRun run, SimNode node) {
        this.run = run;
        this.node = node;
    }

    @Override
    public boolean send(int peer, Frame frame) {
        if (!node.alive) {
            return true;
        }
        SimNode[] peers = node.side == Side.SENDER ? run.receivers() : run.senders();
        String problem = addressingProblem(peer, frame, peers.length);
        if (problem != null) {
            run.invariants().violation("addressing: " + node + " sent " + frame.getClass().getSimpleName()
                    + " from " + frame.from() + " to " + frame.to() + " via peer " + peer + " at t="
                    + Invariants.ms(run.now()) + ": " + problem);
            return true;
        }
        if (frame instanceof DataFrame data) {
            for (SentEntry sent : data.entries()) {
                run.invariants().onTransmission(node.index, sent.entry().seq(), sent.attempt(), run.now());
            }
        } else if (frame instanceof AckFrame ack && !node.byzantine) {
            run.invariants().onCorrectAck(node.index, ack, run.siteDurable(), run.now());
        }
        run.network().send(node, peers[peer], frame, FrameCodec.encodedSize(frame));
        return !run.overHighWater(node);
    }

    private String addressingProblem(int peer, Frame frame, int peers) {
        if (peer < 0 || peer >= peers) {
            return "no such peer";
        }
        if (frame.from() != node.index || frame.to() != peer) {
            return "frame addressing does not match the sending replica and peer";
        }
        if (frame.fromSendingSite() != (node.side == Side.SENDER)) {
            return "this frame type does not travel in this direction";
        }
        return null;
    }

    @Override
    public void deliver(Entry entry) {
        if (!node.alive) {
            return;
        }
        if (node.side != Side.RECEIVER) {
            run.invariants().violation("role: " + node + " delivered " + entry);
            return;
        }
        if (run.invariants().onDeliver(node.index, entry, run.now())) {
            run.propose(entry);
        }
    }

    @Override
    public void quacked(long seq) {
        if (!node.alive) {
            return;
        }
        if (node.side != Side.SENDER) {
            run.invariants().violation("role: " + node + " reported quacked(" + seq + ")");
            return;
        }
        run.invariants().onQuacked(node.index, seq, run.siteDurable(), run.now());
        node.quackFloor = Math.max(node.quackFloor, seq);
    }

    @Override
    public void fenced(FencedFrame refusal) {
        run.invariants().violation("fencing: " + node + " reported FENCED " + refusal.forkPoint()
                + " in a single-epoch run at t=" + Invariants.ms(run.now()));
    }

    @Override
    public void refused(int peer, String reason) {
        run.onRefused();
    }
}
