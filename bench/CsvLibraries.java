import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.databind.MappingIterator;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a numeric CSV file with one of the candidate CSV libraries, the way Descent reads data:
 * every cell of every row after the header, each parsed as a double. Prints the rows and the sum
 * of the cells (the same for every library, so each did the whole job). Run by
 * bench/csv-libraries.sh.
 */
public final class CsvLibraries {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        long rows = 0;
        double sum = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            switch (args[0]) {
                case "split" -> { // what Descent did before: String.split, no quoting
                    BufferedReader r = (BufferedReader) in;
                    r.readLine();
                    for (String line; (line = r.readLine()) != null; rows++) {
                        for (String cell : line.split(",", -1)) {
                            sum += Double.parseDouble(cell.trim());
                        }
                    }
                }
                case "fastcsv" -> {
                    try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(in)) {
                        boolean header = true;
                        for (CsvRecord rec : csv) {
                            if (header) {
                                header = false;
                                continue;
                            }
                            for (int i = 0, n = rec.getFieldCount(); i < n; i++) {
                                sum += Double.parseDouble(rec.getField(i).trim());
                            }
                            rows++;
                        }
                    }
                }
                case "commons-csv" -> {
                    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
                    for (CSVRecord rec : format.parse(in)) {
                        for (int i = 0, n = rec.size(); i < n; i++) {
                            sum += Double.parseDouble(rec.get(i).trim());
                        }
                        rows++;
                    }
                }
                case "jackson-csv" -> {
                    CsvMapper mapper = new CsvMapper();
                    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
                    try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(in)) {
                        it.next(); // header
                        while (it.hasNext()) {
                            for (String cell : it.next()) {
                                sum += Double.parseDouble(cell.trim());
                            }
                            rows++;
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown library " + args[0]);
            }
        }
        System.out.println(args[0] + ": " + rows + " rows, sum " + sum);
    }
}
