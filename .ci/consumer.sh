#!/usr/bin/env bash
# Depends on Descent as an application would: installs the library jar built by `mvn verify`
# (with its POM) into a private repository, then builds a separate Maven project that depends on
# dev.descent:descent and holds the README's Java programs, copied from the README's text. Fails
# when the README's code does not compile or run against the installed library, or when a test
# framework, the plotting library or the command line's libraries reach the application's
# compile class path. Dependencies come from ~/.m2 (filled by the build), so it runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"
jar="target/descent-$version.jar"
[ -f "$jar" ] || { echo "consumer: $jar is missing; run mvn verify first" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -B -q install:install-file -Dfile="$jar" -DpomFile=pom.xml -DlocalRepositoryPath="$work/descent-repo"

mkdir -p "$work/app/src/main/java"
# Every ```java block of the README, as the file its <!-- path --> comment names.
awk -v dir="$work/app/src/main/java" '
  /^<!-- src\/test\/java\/.*\.java -->$/ { n = split($2, parts, "/"); file = dir "/" parts[n]; next }
  /^```java$/ && file != "" { inside = 1; next }
  /^```$/ && inside { inside = 0; close(file); file = ""; next }
  inside { print > file }
' README.md
ls "$work/app/src/main/java"/*.java > /dev/null

cat > "$work/app/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>app</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <repositories>
    <repository><id>descent</id><url>file://$work/descent-repo</url></repository>
    <repository><id>local-cache</id><url>file://$HOME/.m2/repository</url></repository>
  </repositories>
  <pluginRepositories>
    <pluginRepository><id>local-cache</id><url>file://$HOME/.m2/repository</url></pluginRepository>
  </pluginRepositories>
  <dependencies>
    <dependency>
      <groupId>dev.descent</groupId>
      <artifactId>descent</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
    </plugins>
  </build>
</project>
POM

cd "$work/app"
m2="$work/m2" # a fresh local repository: nothing is taken from, or left in, ~/.m2's own state
mvn -B -q -Dmaven.repo.local="$m2" compile dependency:build-classpath -Dmdep.includeScope=compile \
    -Dmdep.outputFile=classpath.txt
cp="target/classes:$(cat classpath.txt)"
if tr ':' '\n' < classpath.txt | grep -E 'junit|jupiter|opentest4j|xchart|pdfbox|picocli|progressbar|jline'; then
  echo "consumer: the jars above reached an application's compile class path" >&2
  exit 1
fi
if unzip -l "$root/$jar" | grep -q 'dev/descent/cli/'; then
  echo "consumer: the library jar holds the command line (dev.descent.cli)" >&2
  exit 1
fi
# With the pictures, as the README says to add them: XChart without its PDF export. Still no test
# framework, PDF library or command-line library on the compile class path.
mkdir -p "$work/pictures"
sed 's|  </dependencies>|    <dependency>\
      <groupId>org.knowm.xchart</groupId><artifactId>xchart</artifactId><version>3.8.8</version>\
      <exclusions>\
        <exclusion><groupId>de.rototor.pdfbox</groupId><artifactId>*</artifactId></exclusion>\
        <exclusion><groupId>org.apache.pdfbox</groupId><artifactId>*</artifactId></exclusion>\
      </exclusions>\
    </dependency>\
  </dependencies>|' pom.xml > "$work/pictures/pom.xml"
(cd "$work/pictures" && mvn -B -q -Dmaven.repo.local="$m2" dependency:build-classpath -Dmdep.includeScope=compile \
    -Dmdep.outputFile=classpath.txt)
tr ':' '\n' < "$work/pictures/classpath.txt" | grep -q xchart || { echo "consumer: XChart missing with the pictures" >&2; exit 1; }
if tr ':' '\n' < "$work/pictures/classpath.txt" | grep -E 'junit|jupiter|opentest4j|pdfbox|picocli|progressbar|jline'; then
  echo "consumer: with the pictures, the jars above reached an application's compile class path" >&2
  exit 1
fi

OPENBLAS_NUM_THREADS=1 java -cp "$cp" TrainTheSeedNetwork | grep -q '^loss .* accuracy 80%'
python3 - > flowers.csv <<'PY'
import random
random.seed(3)
print('"petal";"sepal";"species"')
for i in range(150):
    c = i % 3
    print(f"{100 * c + 10 * random.gauss(0, 1)};{5 + random.gauss(0, 1)};{['setosa', 'versicolor', 'virginica'][c]}")
PY
OPENBLAS_NUM_THREADS=1 java -cp "$cp" ClassifyCsv flowers.csv model.json | grep -q '^row 1: setosa'
OPENBLAS_NUM_THREADS=1 java -cp "$cp" TrainLikeDescentTrain flowers.csv | grep -q '^loss .* training accuracy'
# Model in, metrics out: the program's numbers are descent evaluate --json's, to the last digit.
java -cp "$cp" ScoreAModel model.json flowers.csv > scores.txt
java -jar "$root/target/descent.jar" evaluate --model model.json --data flowers.csv --json --no-plot > evaluate.json
python3 - <<'PY'
import json
r = json.load(open("evaluate.json"))
out = open("scores.txt").read()
def s(v):  # as Java's Double.toString and Jackson write the same double
    return repr(v) if isinstance(v, float) else str(v)
want = [f"accuracy {s(r['accuracy'])}, macro F1 {s(r['macro']['f1'])}, weighted F1 {s(r['weighted']['f1'])}"]
want += [f"{k['class']}: precision {s(k['precision'])}, recall {s(k['recall'])}, F1 {s(k['f1'])}, support {k['support']}"
         for k in r["classes"]]
missing = [w for w in want if w not in out]
if missing:
    raise SystemExit("consumer: ScoreAModel and descent evaluate --json differ:\n" + "\n".join(missing) + "\n" + out)
PY
echo "consumer: the README's programs compile and run against dev.descent:descent:$version;" \
     "compile class path: $(tr ':' '\n' < classpath.txt | xargs -n1 basename | tr '\n' ' ')"
