package dev.picsou.mirror.server.site;

/**
 * When a {@link LocalSite}'s servers take snapshots and purge their Raft logs.
 *
 * <p>Ratis purges its log only after a snapshot. With {@link #purgeUpToSnapshotIndex} a leader purges up to its
 * snapshot even while a follower still needs older entries; that follower then gets the snapshot installed
 * (chunk mode: the leader ships the files of its {@code sm} directory). Purging works on closed log segments, so
 * install tests also want a small {@link LocalSiteConfig#segmentSizeMax()}.
 *
 * @param autoTriggerThreshold    take a snapshot every this many applied entries; {@code 0} turns the automatic
 *                                trigger off (snapshots then come only from {@link LocalSite#takeSnapshot(int)})
 * @param purgeUpToSnapshotIndex  purge the log up to the snapshot index even if a follower is behind it
 *                                (Ratis default {@code false}: purge up to the lowest follower commit index)
 * @param purgeGap                purge only when at least this many entries can go (Ratis default 1024)
 * @param retainedSnapshotFiles   snapshot files kept per server, older ones are deleted; {@code -1} keeps all
 */
public record SnapshotPolicy(long autoTriggerThreshold, boolean purgeUpToSnapshotIndex, int purgeGap,
                             int retainedSnapshotFiles) {

    public SnapshotPolicy {
        if (autoTriggerThreshold < 0) {
            throw new IllegalArgumentException("autoTriggerThreshold must be >= 0 (0 = off), was "
                    + autoTriggerThreshold);
        }
        if (purgeGap < 1) {
            throw new IllegalArgumentException("purgeGap must be >= 1, was " + purgeGap);
        }
        if (retainedSnapshotFiles == 0 || retainedSnapshotFiles < -1) {
            throw new IllegalArgumentException("retainedSnapshotFiles must be >= 1 or -1 (all), was "
                    + retainedSnapshotFiles);
        }
    }

    /** Ratis's behaviour: no automatic snapshot, purge only what every follower has, gap 1024; keep 2 files. */
    public static SnapshotPolicy ratisDefaults() {
        return new SnapshotPolicy(0, false, 1024, 2);
    }

    /**
     * Purge as soon as a snapshot allows, even past a lagging follower (which then needs a snapshot install):
     * what tests of snapshot installation want. Snapshots stay explicit.
     */
    public static SnapshotPolicy purgeEagerly() {
        return new SnapshotPolicy(0, true, 1, 2);
    }

    public SnapshotPolicy withAutoTriggerThreshold(long entries) {
        return new SnapshotPolicy(entries, purgeUpToSnapshotIndex, purgeGap, retainedSnapshotFiles);
    }

    public SnapshotPolicy withPurgeUpToSnapshotIndex(boolean purge) {
        return new SnapshotPolicy(autoTriggerThreshold, purge, purgeGap, retainedSnapshotFiles);
    }

    public SnapshotPolicy withPurgeGap(int entries) {
        return new SnapshotPolicy(autoTriggerThreshold, purgeUpToSnapshotIndex, entries, retainedSnapshotFiles);
    }

    public SnapshotPolicy withRetainedSnapshotFiles(int files) {
        return new SnapshotPolicy(autoTriggerThreshold, purgeUpToSnapshotIndex, purgeGap, files);
    }
}
