# The JVM command the harness runs kiln's engines with: the `kiln` launcher's flags (SerialGC, whose
# write barrier is one card mark: under G1 every reference store of the interpreter's calls pays
# G1's inline barrier, which the launcher's runs never do), plus a 16 MB thread stack for deep
# recursion. Sourced by the bench scripts after kiln_find_jdk.
kiln_jvm=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss16m -XX:+UseSerialGC)
