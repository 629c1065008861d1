/**
 * The three source tables of the posting emulation (pipeline-facts §1.3) and a seeded generator of
 * realistic rows for them, standing in for AiCore's read-only RDS database.
 *
 * Column names and order are the original's (`SELECT *` order, `index` in pins but `ind` in the
 * other two), so the JSON the emulator posts has the shape the downstream cleaning expects. The
 * generator produces the original's "no data" sentinels at a realistic rate because the cleaning
 * rules exist to remove exactly those.
 */
import { mixSeed, mulberry32, pick, randomInt, type Random } from "./random";

export interface PinRow {
  index: number;
  unique_id: string;
  title: string;
  description: string;
  poster_name: string;
  follower_count: string;
  tag_list: string;
  is_image_or_video: string;
  image_src: string;
  downloaded: number;
  save_location: string;
  category: string;
}

export interface GeoRow {
  ind: number;
  /** `YYYY-MM-DD HH:MM:SS` */
  timestamp: string;
  latitude: number;
  longitude: number;
  country: string;
}

export interface UserRow {
  ind: number;
  first_name: string;
  last_name: string;
  age: number;
  /** `YYYY-MM-DD HH:MM:SS` */
  date_joined: string;
}

/** One emulated event as the JSON text of its three rows, ready to post. */
export interface EventJson {
  readonly id: number;
  readonly pin: string;
  readonly geo: string;
  readonly user: string;
}

/** One emulated event: the rows with the same id in the three tables. */
export interface EventRows {
  pin: PinRow;
  geo: GeoRow;
  user: UserRow;
}

export type TableRole = keyof EventRows;

export interface SourceTable {
  readonly name: string;
  /** The id column: `index` in pins, `ind` in geolocation and user rows. */
  readonly key: string;
  /** Column names in `SELECT *` order. */
  readonly columns: readonly string[];
  /** DATETIME columns, posted as `YYYY-MM-DD HH:MM:SS` text. */
  readonly datetimeColumns: readonly string[];
  readonly ddl: string;
}

/** The three tables, keyed by the topic suffix their rows are posted to. */
export const SOURCE_TABLES: Readonly<Record<TableRole, SourceTable>> = {
  pin: {
    name: "pinterest_data",
    key: "index",
    columns: ["index", "unique_id", "title", "description", "poster_name", "follower_count", "tag_list", "is_image_or_video", "image_src", "downloaded", "save_location", "category"],
    datetimeColumns: [],
    ddl: `CREATE TABLE IF NOT EXISTS pinterest_data (
  \`index\` INT NOT NULL PRIMARY KEY,
  unique_id VARCHAR(36) NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  poster_name VARCHAR(255) NOT NULL,
  follower_count VARCHAR(16) NOT NULL,
  tag_list TEXT NOT NULL,
  is_image_or_video VARCHAR(64) NOT NULL,
  image_src TEXT NOT NULL,
  downloaded TINYINT NOT NULL,
  save_location VARCHAR(255) NOT NULL,
  category VARCHAR(64) NOT NULL
) CHARACTER SET utf8mb4`,
  },
  geo: {
    name: "geolocation_data",
    key: "ind",
    columns: ["ind", "timestamp", "latitude", "longitude", "country"],
    datetimeColumns: ["timestamp"],
    ddl: `CREATE TABLE IF NOT EXISTS geolocation_data (
  ind INT NOT NULL PRIMARY KEY,
  \`timestamp\` DATETIME NOT NULL,
  latitude DOUBLE NOT NULL,
  longitude DOUBLE NOT NULL,
  country VARCHAR(128) NOT NULL
) CHARACTER SET utf8mb4`,
  },
  user: {
    name: "user_data",
    key: "ind",
    columns: ["ind", "first_name", "last_name", "age", "date_joined"],
    datetimeColumns: ["date_joined"],
    ddl: `CREATE TABLE IF NOT EXISTS user_data (
  ind INT NOT NULL PRIMARY KEY,
  first_name VARCHAR(64) NOT NULL,
  last_name VARCHAR(64) NOT NULL,
  age INT NOT NULL,
  date_joined DATETIME NOT NULL
) CHARACTER SET utf8mb4`,
  },
};

export const TABLE_ROLES: readonly TableRole[] = ["pin", "geo", "user"];

/** The original data's sentinels for missing values. */
export const SENTINELS = {
  title: "No Title Data Available",
  storyDescription: "No description available Story format",
  description: "No description available",
  userInfo: "User Info Error",
  imageSrc: "Image src error.",
  tagList: "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e",
  saveLocationPrefix: "Local save in ",
} as const;

/** Share of pins scraped from a "story" page: every pin field is a sentinel (like event 7528 of the original). */
const STORY_ERROR_RATE = 0.05;
/** Share of the remaining pins whose poster could not be read. */
const USER_INFO_ERROR_RATE = 0.03;
/** Share of the remaining pins without a description. */
const NO_DESCRIPTION_RATE = 0.04;
const VIDEO_RATE = 0.08;

const CATEGORY_TAGS: Readonly<Record<string, readonly string[]>> = {
  "mens-fashion": ["Mens Fashion", "Casual Outfits", "Street Style", "Mens Suits", "Sneakers", "Mens Watches", "Beard Styles", "Summer Outfits Men"],
  finance: ["Budgeting", "Saving Money", "Coupon Organization", "Extreme Couponing", "Money Saving Tips", "Side Hustle", "Debt Free", "Investing"],
  "diy-and-crafts": ["Diy Crafts", "Paper Crafts", "Upcycling", "Crochet Patterns", "Kids Crafts", "Mason Jar Crafts", "Sewing Projects", "Wood Crafts"],
  christmas: ["Christmas Decorations", "Christmas Tree", "Christmas Crafts", "Holiday Baking", "Advent Calendar", "Xmas Gifts", "Christmas Wreaths"],
  vehicles: ["Classic Cars", "Motorcycles", "Dream Cars", "Off Road", "Camper Van", "Muscle Cars", "Car Interior", "Vintage Trucks"],
  beauty: ["Makeup Tutorial", "Skin Care", "Nail Art", "Hair Styles", "Eye Makeup", "Natural Beauty", "Lipstick Shades"],
  art: ["Watercolor Painting", "Drawing Ideas", "Abstract Art", "Sketchbook", "Acrylic Painting", "Art Journal", "Portrait Drawing"],
  travel: ["Travel Destinations", "Backpacking", "Road Trip", "Travel Tips", "Beach Vacation", "Travel Photography", "Europe Travel"],
  tattoos: ["Small Tattoos", "Sleeve Tattoos", "Minimalist Tattoo", "Floral Tattoo", "Tattoo Designs", "Fine Line Tattoo", "Script Tattoo"],
  quotes: ["Motivational Quotes", "Life Quotes", "Inspirational Quotes", "Love Quotes", "Funny Quotes", "Positive Affirmations", "Wisdom"],
  "home-decor": ["Living Room Decor", "Bedroom Ideas", "Farmhouse Decor", "Wall Decor", "Boho Decor", "Kitchen Design", "Small Space Living"],
  education: ["Teaching Ideas", "Classroom Decor", "Homeschool", "Study Tips", "Math Activities", "Reading Comprehension", "Science Experiments"],
  "event-planning": ["Wedding Planning", "Party Ideas", "Birthday Party", "Baby Shower", "Party Decorations", "Wedding Decor", "Event Checklist"],
};

/** The original data's category names (the `category` column and the `/data/<category>` save folders). */
export const CATEGORIES: readonly string[] = Object.keys(CATEGORY_TAGS);

const TITLE_OPENERS = ["The Best", "Easy", "Simple", "Amazing", "Beautiful", "Creative", "Cheap", "Modern", "Classic", "Cute", "Quick", "Stunning"];
const TITLE_ENDINGS = ["Ideas", "for Beginners", "You Need to Try", "to Inspire You", "on a Budget", "Guide", "Tips", "in 2019", "That Will Wow Everyone"];
const DESCRIPTION_PARTS = [
  "Find and save ideas about",
  "Discover the best",
  "Check out our collection of",
  "Looking for inspiration? Here are",
  "Step by step guide to",
  "Everything you need to know about",
];
const FIRST_NAMES = ["Abigail", "Rachel", "Aaron", "Christopher", "Andrea", "Michael", "Emily", "Joshua", "Jessica", "David", "Sarah", "Daniel", "Ashley", "Alexander", "Kimberly", "Brandon", "Danielle", "Tyler", "Amanda", "Kevin", "Consuelo", "Thomas"];
const LAST_NAMES = ["Ali", "Davis", "Aguirre", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Wilson", "Moore", "Taylor", "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Martinez", "Robinson"];
const COUNTRIES = [
  "Albania", "Colombia", "Afghanistan", "Algeria", "American Samoa", "Angola", "Antarctica (the territory South of 60 deg S)", "Argentina", "Armenia", "Aruba",
  "Australia", "Austria", "Bangladesh", "Belgium", "Bermuda", "Brazil", "Bulgaria", "Canada", "Chile", "Cote d'Ivoire", "Denmark", "Egypt", "France", "Germany",
  "Greece", "Iceland", "India", "Japan", "Kenya", "Maldives", "Mexico", "Norway", "Peru", "Portugal", "Saint Barthelemy", "Spain", "Togo", "United Kingdom", "Vietnam",
];

/** Formats a follower count the way the scraped data does: `437`, `51k`, `1M`. */
export function formatFollowerCount(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${Math.floor(count / 1000)}k`;
  return `${Math.floor(count / 1_000_000)}M`;
}

/** `YYYY-MM-DD HH:MM:SS` of seconds since the Unix epoch, in UTC. */
export function formatDateTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

function hex(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

function uuid4(random: Random): string {
  const variant = (8 + Math.floor(random() * 4)).toString(16);
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${variant}${hex(random, 3)}-${hex(random, 12)}`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function pinRow(random: Random, index: number): PinRow {
  const category = pick(random, CATEGORIES);
  const unique_id = uuid4(random);
  const save_location = `${SENTINELS.saveLocationPrefix}/data/${category}`;
  if (random() < STORY_ERROR_RATE) {
    return {
      index,
      unique_id,
      title: SENTINELS.title,
      description: SENTINELS.storyDescription,
      poster_name: SENTINELS.userInfo,
      follower_count: SENTINELS.userInfo,
      tag_list: SENTINELS.tagList,
      is_image_or_video: "multi-video(story page format)",
      image_src: SENTINELS.imageSrc,
      downloaded: 0,
      save_location,
      category,
    };
  }
  const tags = CATEGORY_TAGS[category] as readonly string[];
  const tag = pick(random, tags);
  const tagCount = randomInt(random, 3, tags.length);
  const tagStart = randomInt(random, 0, tags.length - 1);
  const tagList = Array.from({ length: tagCount }, (_, i) => tags[(tagStart + i) % tags.length]).join(",");
  const userInfoError = random() < USER_INFO_ERROR_RATE;
  const followers = Math.floor(Math.exp(random() * Math.log(5_000_000)));
  const image = hex(random, 32);
  return {
    index,
    unique_id,
    title: `${pick(random, TITLE_OPENERS)} ${tag} ${pick(random, TITLE_ENDINGS)}`,
    description: random() < NO_DESCRIPTION_RATE ? SENTINELS.description : `${pick(random, DESCRIPTION_PARTS)} ${tag.toLowerCase()}, ${tags[(tagStart + 1) % tags.length]?.toLowerCase()} and more.`,
    poster_name: userInfoError ? SENTINELS.userInfo : `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
    follower_count: userInfoError ? SENTINELS.userInfo : formatFollowerCount(followers),
    tag_list: tagList,
    is_image_or_video: random() < VIDEO_RATE ? "video" : "image",
    image_src: `https://i.pinimg.com/originals/${image.slice(0, 2)}/${image.slice(2, 4)}/${image.slice(4, 6)}/${image}.jpg`,
    downloaded: random() < 0.97 ? 1 : 0,
    save_location,
    category,
  };
}

const TIMESTAMP_FROM = Date.UTC(2017, 0, 1) / 1000;
const TIMESTAMP_TO = Date.UTC(2022, 11, 31) / 1000;
const JOINED_FROM = Date.UTC(2015, 0, 1) / 1000;
const JOINED_TO = Date.UTC(2017, 11, 31) / 1000;

function geoRow(random: Random, ind: number): GeoRow {
  return {
    ind,
    timestamp: formatDateTime(randomInt(random, TIMESTAMP_FROM, TIMESTAMP_TO)),
    latitude: round(random() * 180 - 90, 4),
    longitude: round(random() * 360 - 180, 3),
    country: pick(random, COUNTRIES),
  };
}

function userRow(random: Random, ind: number): UserRow {
  return {
    ind,
    first_name: pick(random, FIRST_NAMES),
    last_name: pick(random, LAST_NAMES),
    age: randomInt(random, 20, 60),
    date_joined: formatDateTime(randomInt(random, JOINED_FROM, JOINED_TO)),
  };
}

/** The rows of event `index` for `seed`: a pure function of both, independent of any other row. */
export function generateEvent(seed: number, index: number): EventRows {
  const random = mulberry32(mixSeed(seed, index));
  return { pin: pinRow(random, index), geo: geoRow(random, index), user: userRow(random, index) };
}
