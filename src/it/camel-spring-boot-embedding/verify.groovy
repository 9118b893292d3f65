// The invoked build already fails the outer build when its test fails. This guards the other way round:
// a build that "passes" because the proof did not run (no tests found, tests skipped) must fail too.
def report = new File(basedir, 'target/surefire-reports/TEST-org.acme.shipping.SpringBootEmbeddingTest.xml')
assert report.isFile() : "no surefire report: the Spring Boot embedding test did not run"
def suite = (report.text =~ /<testsuite [^>]*/)[0]
def count = { String name -> (suite =~ /\b${name}="(\d+)"/)[0][1].toInteger() }
assert count('tests') >= 1 : "the Spring Boot embedding test ran no test"
assert count('failures') == 0 && count('errors') == 0 && count('skipped') == 0 : suite

def tree = new File(basedir, 'target/dependency-tree.txt')
assert tree.isFile() : "no ${tree}: dependency:tree did not run"
def leaked = tree.readLines().findAll { it.contains('io.quarkus') || it.contains('org.apache.camel.quarkus') }
assert leaked.isEmpty() : "a Camel Spring Boot embedder resolves Quarkus artifacts:\n" + leaked.join('\n')

def lines = new File(basedir, 'build.log').readLines()
['API received ', 'Token endpoint received the client secret', 'Spring MeterRegistry: ', 'Actuator health: '].each { p ->
    def line = lines.find { it.startsWith(p) }
    assert line : "build.log has no '${p}...' line"
    println line
}

def downloads = lines.findAll { it.contains('Downloaded from') }
if (downloads) {
    println "WARNING: the invoked build downloaded ${downloads.size()} file(s) that are not in the user's repository;" +
            " add them to <extraArtifacts> of maven-invoker-plugin:"
    downloads.each { println "WARNING:   " + it.replaceFirst(/.*Downloaded from [^:]+: /, '') }
}
return true
