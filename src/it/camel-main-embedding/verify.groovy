// The invoked build already fails the outer build when its test fails. This guards the other way round:
// a build that "passes" because the proof did not run (no tests found, tests skipped) must fail too.
def report = new File(basedir, 'target/surefire-reports/TEST-org.acme.orders.EmbeddingWithoutQuarkusTest.xml')
assert report.isFile() : "no surefire report: the embedding test did not run"
def suite = (report.text =~ /<testsuite [^>]*/)[0]
def count = { String name -> (suite =~ /\b${name}="(\d+)"/)[0][1].toInteger() }
assert count('tests') >= 1 : "the embedding test ran no test"
assert count('failures') == 0 && count('errors') == 0 && count('skipped') == 0 : suite

def lines = new File(basedir, 'build.log').readLines()
def proof = lines.find { it.startsWith('API received ') }
assert proof : "build.log has no 'API received ... Authorization: Bearer ...' line"
println proof

// Downloads land in target/it-repo and are lost on clean (and fail under -o): name them, so they can be
// added to the invoker <extraArtifacts> in the main pom.
def downloads = lines.findAll { it.contains('Downloaded from') }
if (downloads) {
    println "WARNING: the invoked build downloaded ${downloads.size()} file(s) that are not in the user's repository;" +
            " add them to <extraArtifacts> of maven-invoker-plugin:"
    downloads.each { println "WARNING:   " + it.replaceFirst(/.*Downloaded from [^:]+: /, '') }
}
return true
