// The invoked build already fails the outer build when its test fails. This guards the other way round:
// a build that "passes" because the proof did not run (no tests found, tests skipped) must fail too.
import java.util.zip.ZipFile

def checkRun = { File buildDir, String label ->
    def report = new File(buildDir, 'surefire-reports/TEST-org.acme.orders.EmbeddingWithoutQuarkusTest.xml')
    assert report.isFile() : "no surefire report in ${buildDir}: the embedding test did not run (${label})"
    def suite = (report.text =~ /<testsuite [^>]*/)[0]
    def count = { String name -> (suite =~ /\b${name}="(\d+)"/)[0][1].toInteger() }
    assert count('tests') >= 1 : "the embedding test ran no test (${label})"
    assert count('failures') == 0 && count('errors') == 0 && count('skipped') == 0 : suite

    // What an embedder resolves: no Quarkus, no Camel Quarkus, in the whole tree (dependency:tree before the test).
    def tree = new File(buildDir, 'dependency-tree.txt')
    assert tree.isFile() : "no ${tree}: dependency:tree did not run (${label})"
    def leaked = tree.readLines().findAll { it.contains('io.quarkus') || it.contains('org.apache.camel.quarkus') }
    assert leaked.isEmpty() : "an embedder resolves Quarkus artifacts (${label}):\n" + leaked.join('\n')
}

// The published artifact, as the invoker installed it for the embedding builds.
def installed = new File(localRepositoryPath, "com/cameloauth/camel-oauth-connections/${projectVersion}")
def jar = new File(installed, "camel-oauth-connections-${projectVersion}.jar")
assert jar.isFile() : "not installed: ${jar}"
def entries = new ZipFile(jar).withCloseable { z -> z.entries().collect { it.name } }
def appOnly = entries.findAll {
    it.startsWith('com/cameloauth/quarkus/') || it.startsWith('com/cameloauth/samples/') ||
            it == 'application.properties' || it.contains('/demo/')
}
assert appOnly.isEmpty() : "the library jar holds Quarkus app, demo or sample files:\n" + appOnly.join('\n')
assert entries.contains('com/cameloauth/component/OAuthComponent.class') : "the library jar lacks the component"
assert entries.contains('com/cameloauth/token/TokenManager.class') : "the library jar lacks the token engine"
assert entries.contains('META-INF/services/org/apache/camel/component/oauth') : "the library jar lacks the component's service file"

def pom = new File(installed, "camel-oauth-connections-${projectVersion}.pom")
def project = new groovy.xml.XmlSlurper().parse(pom)
def imports = project.dependencyManagement.dependencies.dependency.findAll { it.scope.text() == 'import' }
        .collect { "${it.groupId}:${it.artifactId}" }
assert imports.isEmpty() : "the published pom imports BOMs an embedder would have to resolve: ${imports}"
def quarkusDeps = project.dependencies.dependency.findAll { it.groupId.text().startsWith('io.quarkus') ||
        it.groupId.text().startsWith('org.apache.camel.quarkus') }.collect { "${it.groupId}:${it.artifactId}" }
assert quarkusDeps.isEmpty() : "the published pom names Quarkus dependencies: ${quarkusDeps}"
def unversioned = project.dependencies.dependency.findAll { !it.version.text() }.collect { "${it.groupId}:${it.artifactId}" }
assert unversioned.isEmpty() : "the published pom leaves versions to a BOM: ${unversioned}"
println "Published jar: ${entries.count { it.endsWith('.class') }} classes, no app files; pom: no BOM import, no Quarkus"

// Invocation 1: the Camel version of this build (newest supported); invocation 2: the oldest supported (profile).
checkRun(new File(basedir, 'target'), 'newest Camel')
checkRun(new File(basedir, 'target/camel-oldest'), 'oldest Camel')

def lines = new File(basedir, 'build.log').readLines()
def proof = lines.findAll { it.startsWith('API received ') }
assert proof : "build.log has no 'API received ... Authorization: Bearer ...' line"
proof.each { println it }
def versions = lines.findAll { it.startsWith('Ran on Camel ') }.collect { it - 'Ran on Camel ' }.unique()
assert versions.size() == 2 : "expected runs on two Camel versions, saw ${versions}"
println "Embedding test passed on Camel ${versions.join(' and ')}"

// Downloads land in target/it-repo and are lost on clean (and fail under -o): name them, so they can be
// added to the invoker <extraArtifacts> in the main pom.
def downloads = lines.findAll { it.contains('Downloaded from') }
if (downloads) {
    println "WARNING: the invoked build downloaded ${downloads.size()} file(s) that are not in the user's repository;" +
            " add them to <extraArtifacts> of maven-invoker-plugin:"
    downloads.each { println "WARNING:   " + it.replaceFirst(/.*Downloaded from [^:]+: /, '') }
}
return true
