// Drives the official @actions/artifact client against the local results service.
//   node interop.mjs download <name> <dest>
//   node interop.mjs upload <name> <root> <file>...
import { DefaultArtifactClient } from '@actions/artifact';

const [command, ...args] = process.argv.slice(2);
const client = new DefaultArtifactClient();
if (command === 'download') {
  const [name, dest] = args;
  const { artifacts } = await client.listArtifacts();
  const artifact = artifacts.find((a) => a.name === name);
  if (!artifact) throw new Error(`no artifact named ${name}`);
  const result = await client.downloadArtifact(artifact.id, { path: dest, expectedHash: artifact.digest });
  console.log(JSON.stringify({ id: artifact.id, size: artifact.size, digest: artifact.digest, digestMismatch: result.digestMismatch }));
} else if (command === 'upload') {
  const [name, root, ...files] = args;
  const result = await client.uploadArtifact(name, files, root);
  console.log(JSON.stringify(result));
} else {
  throw new Error(`unknown command ${command}`);
}
