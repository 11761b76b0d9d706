// Offline check of Neo4j Cypher files with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support, pinned in package.json), in one node process.
//
// Usage: node check.mjs PATH...   (a PATH is a .cypher file or a folder of them, not recursive)
// Prints one JSON document: {"files", "statements", "per_file": {path: statements},
// "diagnostics": [{file, statement, line, column, severity, version, message}]}; exits 1 when any
// diagnostic is an error, 2 on bad usage. Warnings (deprecations, cartesian products) are listed
// with severity "warning" and do not change the exit code. About 0.1 s a statement.
//
// What counts as an error:
// - a syntax or semantic error reported by Neo4j's parser and semantic analysis (compiled to
//   JavaScript in this package) for Cypher 5, the language of Neo4j 5.26 and the default of later
//   servers, except "Parameter $x is not defined": parameters are supplied at run time;
// - an unknown procedure or function, or a wrong procedure signature / YIELD column, checked
//   against the procedure and function registry the package ships (testData.mockSchema, dumped
//   from a real server);
// - an APOC or GDS call: graphmem must run on a bare Neo4j Community server;
// - a statement chunk holding more than one statement: files are split, as graphmem's QueryBook
//   splits them, on lines holding only ";" and each chunk is sent to the server as one query.
//
// The package's ESM build of this version has extension-less imports that node cannot resolve,
// so its CommonJS build is loaded through createRequire.

import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const ls = require('@neo4j-cypher/language-support');

const SERVER_VERSION = 'CYPHER 5';
const FORBIDDEN_NAMESPACES = /^(apoc|gds)\./i;
const SPLIT = /^[ \t]*;[ \t]*$/m;

function cypherFiles(paths) {
  const files = [];
  for (const path of paths) {
    const abs = resolve(path);
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (name.endsWith('.cypher')) files.push(join(abs, name));
      }
    } else {
      files.push(abs);
    }
  }
  return files;
}

// Statement chunks of a file with the 0-based line each starts on.
function chunks(text) {
  const out = [];
  let line = 0;
  for (const part of text.split(SPLIT)) {
    const stripped = part.replace(/\/\/[^\n]*/g, '').trim();
    if (stripped.length > 0) out.push({ text: part, line });
    line += part.split('\n').length - 1;
  }
  return out;
}

function isParameterNotice(d) {
  return d.message.startsWith('Parameter ') && d.message.endsWith(' is not defined.');
}

const args = process.argv.slice(2);
if (args.length === 0) {
  process.stderr.write('usage: node check.mjs PATH...\n');
  process.exit(2);
}

const registry = ls.testData.mockSchema;
const diagnostics = [];
const perFile = {};
let statements = 0;
const files = cypherFiles(args);

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const parts = chunks(text);
  perFile[file] = parts.length;
  if (parts.length === 0) {
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', version: null,
      message: 'file holds no Cypher statement' });
  }
  parts.forEach((part, index) => {
    statements += 1;
    const at = (d, version, severity) => ({
      file,
      statement: index,
      line: part.line + d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity,
      version,
      message: d.message,
    });
    const parsed = ls.parserWrapper.parse(part.text, false);
    const real = parsed.statementsParsing.filter((s) => s.command.type !== 'cypher' || s.command.statement.trim());
    if (real.length > 1) {
      diagnostics.push({ file, statement: index, line: part.line + 1, column: 1, severity: 'error', version: null,
        message: `${real.length} statements in one chunk; separate statements by a line holding only ';'` });
    }
    for (const s of parsed.statementsParsing) {
      for (const called of [...s.collectedProcedures, ...s.collectedFunctions]) {
        if (FORBIDDEN_NAMESPACES.test(called.name)) {
          diagnostics.push({ file, statement: index, line: part.line + called.line, column: called.column + 1,
            severity: 'error', version: null,
            message: `${called.name}: APOC and GDS are not available on a bare Neo4j server` });
        }
      }
    }
    const schema = {
      defaultLanguage: SERVER_VERSION,
      procedures: registry.procedures,
      functions: registry.functions,
    };
    for (const d of ls.lintCypherQuery(part.text, schema, false)) {
      if (isParameterNotice(d)) continue;
      diagnostics.push(at(d, SERVER_VERSION, d.severity === 1 ? 'error' : 'warning'));
    }
  });
}

process.stdout.write(JSON.stringify({ files: files.length, statements, per_file: perFile, diagnostics }, null, 1) + '\n');
process.exit(diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
