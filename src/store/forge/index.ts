export { ForgeKvsStore } from "./forge-kvs-store";
