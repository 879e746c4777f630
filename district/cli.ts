// The `siaga-district` command (npm run district -- ...; bin/siaga-district): the commands are in
// district/commands/, their usage in `siaga-district --help`.
import { main } from './commands';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 70;
  },
);
