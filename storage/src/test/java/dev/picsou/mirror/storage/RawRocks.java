package dev.picsou.mirror.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Test-only raw access to a store's RocksDB, to plant what MirrorStore itself would never write. */
final class RawRocks {

    private RawRocks() {
    }

    /** Drops column family {@code cf} of the DB at {@code dir}. */
    static void drop(Path dir, String cf) throws RocksDBException {
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, dir.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        names.forEach(n -> descriptors.add(new ColumnFamilyDescriptor(n)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            for (int i = 0; i < names.size(); i++) {
                if (new String(names.get(i), StandardCharsets.UTF_8).equals(cf)) {
                    db.dropColumnFamily(handles.get(i));
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /** Puts {@code value} at {@code key} of column family {@code cf} (created if missing) of the DB at {@code dir}. */
    static void put(Path dir, String cf, byte[] key, byte[] value) throws RocksDBException {
        List<byte[]> names;
        try (Options options = new Options()) {
            names = new ArrayList<>(RocksDB.listColumnFamilies(options, dir.toString()));
        }
        if (names.stream().noneMatch(n -> new String(n, StandardCharsets.UTF_8).equals(cf))) {
            names.add(cf.getBytes(StandardCharsets.UTF_8));
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        names.forEach(n -> descriptors.add(new ColumnFamilyDescriptor(n)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            for (int i = 0; i < names.size(); i++) {
                if (new String(names.get(i), StandardCharsets.UTF_8).equals(cf)) {
                    db.put(handles.get(i), key, value);
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
