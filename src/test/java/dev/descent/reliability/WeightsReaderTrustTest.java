package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.weights.TensorFile;
import dev.descent.weights.WeightsFileException;
import dev.descent.weights.WeightsFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One tiny malformed weights file per way a safetensors or npz file can lie, each refused with its
 * own one-line message before anything it declares is allocated.
 */
class WeightsReaderTrustTest {
    @TempDir
    Path dir;

    /** A safetensors file: the 8-byte length, {@code header} as given, then {@code data} bytes. */
    static byte[] safetensors(String header, int data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    String refusal(String name, byte[] content) throws IOException {
        Path f = Files.write(dir.resolve(name), content);
        Network net = new Architecture(2, List.of(3), "relu", 2).build();
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.load(net, f));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        String prefix = f + ": ";
        return e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
    }

    static final String T = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";

    @Test
    void safetensorsThatLie() throws IOException {
        assertEquals("not a safetensors file: 3 bytes, shorter than the 8 of its header's length",
                refusal("a.safetensors", new byte[3]));
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array();
        assertEquals("the header's length is 9223372036854775807 bytes, more than the 100000000 allowed",
                refusal("b.safetensors", huge));
        byte[] past = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array();
        assertEquals("the header's length is 100 bytes, but only 8 follow it", refusal("c.safetensors", past));
        assertEquals("not a safetensors file: the header does not start with '{'",
                refusal("d.safetensors", safetensors("[1, 2]", 0)));
        assertEquals("tensors 'a' and 'b' overlap (bytes 4 to 8)",
                refusal("e.safetensors", safetensors("{\"a\":" + T + "[0,8]},\"b\":" + T + "[4,12]}}", 12)));
        assertEquals("bytes 8 to 12 of the data belong to no tensor",
                refusal("f.safetensors", safetensors("{\"a\":" + T + "[0,8]},\"b\":" + T + "[12,20]}}", 20)));
        assertEquals("tensor 'a': data_offsets [0, 8] run past the end of the 4 bytes of data",
                refusal("g.safetensors", safetensors("{\"a\":" + T + "[0,8]}}", 4)));
        assertEquals("tensor 'a': shape [2] of F32 is 8 bytes, but data_offsets [0, 12] span 12",
                refusal("h.safetensors", safetensors("{\"a\":" + T + "[0,12]}}", 12)));
        assertEquals("tensor 'a' has dtype BF16; Descent reads F32 and F64 (in PyTorch, .float() or .double() before "
                + "saving)", refusal("i.safetensors",
                safetensors("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("tensor 'a' has dtype 'Q7', not a safetensors type; Descent reads F32 and F64 (in PyTorch, .float() "
                + "or .double() before saving)", refusal("j.safetensors",
                safetensors("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("header: not valid JSON (line 1, column 58): Duplicate field 'a'",
                refusal("k.safetensors", safetensors("{\"a\":" + T + "[0,8]},\"a\":" + T + "[8,16]}}", 16)));
        assertEquals("tensor 'a': shape [100000, 100000] holds more than 100000000 values", refusal("l.safetensors",
                safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[100000,100000],\"data_offsets\":[0,8]}}", 8)));
        assertEquals("tensor 'a': shape[0] is -2, not a whole number from 0 to 100000000", refusal("m.safetensors",
                safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8)));
        assertEquals("__metadata__.format is not a string",
                refusal("n.safetensors", safetensors("{\"__metadata__\":{\"format\":1}}", 0)));
        assertEquals("tensor 'a' has an unknown field 'offsets'",
                refusal("o.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"offsets\":[0,8]}}", 8)));
    }

    /** An .npy file: the preamble and {@code dict} padded as numpy pads it, then {@code data} bytes. */
    static byte[] npy(String dict, int data) {
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 11 - dict.length()) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return b.put(header.getBytes(StandardCharsets.ISO_8859_1)).array();
    }

    /** A zip of the named entries, stored or deflated. */
    static byte[] zip(boolean deflate, Object... nameThenBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < nameThenBytes.length; i += 2) {
                byte[] content = (byte[]) nameThenBytes[i + 1];
                ZipEntry e = new ZipEntry((String) nameThenBytes[i]);
                if (!deflate) {
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(content.length);
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(content);
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static final String F4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

    @Test
    void npzThatLie() throws IOException {
        assertEquals("not an .npz archive (zip END header not found)", refusal("a.npz", "PK not really".getBytes()));
        assertEquals("entry 'notes.txt' is not a NAME.npy array", refusal("b.npz", zip(false, "notes.txt", new byte[2])));
        assertEquals("not a .npy array (no \\x93NUMPY at the start)", refusal("c.npz", zip(false, "a.npy", new byte[20]))
                .replace("a.npy: ", ""));
        assertEquals("a.npy: an array of dtype '<i8'; Descent reads '<f4' (float32) and '<f8' (float64)",
                refusal("d.npz", zip(false, "a.npy", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 16))));
        assertEquals("a.npy: the .npy header has an unknown key '__class__'", refusal("e.npz", zip(false, "a.npy",
                npy("{'descr': '<f4', '__class__': 'os.system', 'shape': (2,), }", 8))));
        assertEquals("a.npy: the archive says 136 bytes, but its header's shape [4] of <f4 makes 144", refusal("f.npz",
                zip(false, "a.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 8))));
        byte[] tooLong = new byte[12];
        ByteBuffer.wrap(tooLong).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0})
                .putInt(1 << 30);
        assertEquals("a.npy: the .npy header is 1073741824 bytes, more than the 10000 allowed",
                refusal("g.npz", zip(false, "a.npy", tooLong)));
        assertEquals("two entries are named 'a.npy'", refusal("h.npz", duplicateEntries()));
        assertEquals("a.npy: the .npy header's shape is not a tuple of whole numbers", refusal("i.npz", zip(false, "a.npy",
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8))));
    }

    /**
     * A deflated entry whose array header says 2 values and whose bytes inflate to 100 MB: the
     * archive's own directory says so too, so it is refused by the header's size at once; with the
     * directory's size made to agree (as a bomb's would), it is refused after one byte past the array.
     */
    @Test
    void aZipBombIsRefusedWithoutInflatingIt() throws Exception {
        byte[] bomb = new byte[100 << 20];
        byte[] head = npy(F4, 8);
        System.arraycopy(head, 0, bomb, 0, head.length);
        byte[] archive = zip(true, "a.npy", bomb);
        assertEquals("a.npy: the archive says 104857600 bytes, but its header's shape [2] of <f4 makes 136",
                refusal("bomb.npz", archive));
        // Rewrite the central directory's uncompressed size to what the header implies (136).
        ByteBuffer b = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = archive.length - 22; i >= 0; i--) {
            if (b.getInt(i) == 0x02014b50) { // central directory file header
                b.putInt(i + 24, 136);
                break;
            }
        }
        Path f = Files.write(dir.resolve("bomb2.npz"), archive);
        try (TensorFile file = WeightsFiles.open(f)) {
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> file.read(file.tensors().get(0)));
            assertEquals(f + ": a.npy: more bytes than its shape [2] holds (a zip bomb?)", e.getMessage());
        }
    }

    /** Two entries under one name, which ZipOutputStream will not write: the second's name patched in. */
    static byte[] duplicateEntries() throws IOException {
        byte[] archive = zip(false, "a.npy", npy(F4, 8), "b.npy", npy(F4, 8));
        String s = new String(archive, StandardCharsets.ISO_8859_1).replace("b.npy", "a.npy");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
