import { Command } from 'commander';
import { listScenarios } from '../../scenario/load.js';

export function scenariosCommand(): Command {
  return new Command('scenarios').description('list the shipped scenarios, one line each').action(() => {
    const list = listScenarios();
    const width = Math.max(...list.map((s) => s.name.length));
    for (const s of list) process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n`);
  });
}
