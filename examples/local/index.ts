import { localDemo } from "./program";

export = localDemo();
