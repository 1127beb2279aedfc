/**
 * Deterministic Persian news items for the benchmarks: the same index always gives the same
 * item, so runs compare. Word frequencies follow a Zipf curve, as real text does, so a search
 * word has a known share of the archive (see `documentShare`).
 */

/** Common words of Persian news copy, most frequent first (rank drives the Zipf weight). */
const WORDS = `و در به از که این را با است برای آن یک خود تا کرد شد بر هم نیز ایران گفت شده
می‌شود اما دارد کشور سال باید پس روز شود دولت مردم کار ما بود هر آنها دو مجلس وزیر ملی
اقتصادی سازمان توسعه امروز اجرای برنامه طرح جلسه استان تهران شهر رئیس جمهور گزارش خبر
بخش خصوصی صنعت بازار قیمت نفت گاز برق آب کشاورزی آموزش دانشگاه دانشجو مدرسه بهداشت درمان
بیمارستان پزشک سلامت ورزش فوتبال تیم بازی جام قهرمانی فرهنگ هنر سینما کتاب نمایشگاه موسیقی
فناوری اطلاعات ارتباطات اینترنت شبکه تلفن همراه دیجیتال نوآوری استارتاپ سرمایه‌گذاری بانک
ارز دلار تورم بودجه مالیات صادرات واردات گمرک حمل نقل جاده راه‌آهن فرودگاه پرواز هواپیما
مسکن ساختمان شهرداری محیط زیست هوا آلودگی باران خشکسالی سد انرژی خورشیدی تجدیدپذیر
پژوهش علمی دانشمند مقاله همایش نشست کمیسیون نماینده قانون لایحه تصویب دادگاه قاضی پرونده
پلیس امنیت مرز دیپلماسی سفیر مذاکره توافق همکاری منطقه‌ای بین‌المللی همسایه آسیا اروپا
افزایش کاهش رشد درصد میلیارد میلیون تومان ریال هزار نفر شرکت کارخانه تولید محصول کالا
فروش خرید مصرف‌کننده تعاونی اتاق بازرگانی فعالان معاون مدیرکل دبیر انجمن صنفی اتحادیه
نمایندگان کارگران کارفرمایان حقوق دستمزد بیمه بازنشستگی یارانه خانوار فقر اشتغال بیکاری
جوانان زنان کودکان خانواده جامعه اجتماعی فرهنگی سیاسی تاریخی میراث گردشگری مسافر هتل
نوروز تابستان زمستان پاییز بهار ماه هفته گذشته آینده جدید مهم بزرگ کوچک اصلی ویژه رسمی`
  .split(/\s+/)
  .filter(Boolean);

/** Category slugs and names the seeding creates; items fall into one or two of them. */
export const CATEGORIES = [
  { slug: 'eqtesad', name: 'اقتصاد' },
  { slug: 'siasat', name: 'سیاست' },
  { slug: 'varzesh', name: 'ورزش' },
  { slug: 'fanavari', name: 'فناوری' },
  { slug: 'farhang', name: 'فرهنگ و هنر' },
  { slug: 'salamat', name: 'سلامت' },
  { slug: 'jameh', name: 'جامعه' },
  { slug: 'senfi', name: 'صنفی' },
] as const;

/** A word outside the vocabulary that about one item in a hundred holds (see `documentShare`). */
export const SEARCH_WORD = 'زلزله';
/** A vocabulary word that about one item in three holds: a search that matches a lot. */
export const COMMON_WORD = 'اقتصادی';

const AUTHORS = ['خبرگزاری چاپار', 'سردبیر', 'مریم احمدی', 'علی رضایی', 'گروه اقتصادی', null, null];

/** mulberry32: tiny, fast, good enough to pick words. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Cumulative Zipf weights (s = 1) over the word list.
const cumulative: number[] = [];
{
  let sum = 0;
  for (let rank = 1; rank <= WORDS.length; rank++) cumulative.push((sum += 1 / rank));
}
const total = cumulative.at(-1)!;

function word(next: () => number): string {
  const x = next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return WORDS[lo]!;
}

const sentence = (next: () => number, n: number) => Array.from({ length: n }, () => word(next)).join(' ');

export interface BenchItem {
  title: string;
  url: string;
  content: string;
  author?: string;
  publishedAt: string;
  categories: string[];
}

/** Newest item first: item 0 is the newest, one every 37 seconds before it. */
export const NEWEST = Date.UTC(2026, 9, 1, 12, 0, 0);

/**
 * Item number `index`: a title of 9–13 words, two paragraphs of about 100 words in all, one or
 * two categories, sometimes an author; the guid is its URL. About 990 bytes as JSON, so a push of
 * 1,000 stays under the admin API's 1 MiB body limit, and 50 of them render to about 60 KB of RSS.
 */
export function benchItem(index: number): BenchItem {
  const next = random(index * 2654435761);
  const title = sentence(next, 9 + Math.floor(next() * 5));
  const first = sentence(next, 50 + Math.floor(next() * 10));
  const second = sentence(next, 46 + Math.floor(next() * 10));
  // The search word lands in about 1% of items, wherever Zipf would put it or not.
  const extra = next() < 0.01 ? ` ${SEARCH_WORD}` : '';
  const primary = CATEGORIES[Math.floor(next() * CATEGORIES.length)]!.slug;
  const secondary = next() < 0.3 ? CATEGORIES[Math.floor(next() * CATEGORIES.length)]!.slug : primary;
  const author = AUTHORS[Math.floor(next() * AUTHORS.length)];
  return {
    title,
    url: `https://news.example.ir/fa/news/${index}`,
    content: `<p>${first}.</p><p>${second}${extra}.</p>`,
    ...(author ? { author } : {}),
    publishedAt: new Date(NEWEST - index * 37_000).toISOString(),
    categories: [...new Set([primary, secondary])],
  };
}

/** The share of the first `count` items whose text holds `needle` (for the record, next to a search's timing). */
export function documentShare(needle: string, count: number): number {
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const item = benchItem(i);
    if (item.title.includes(needle) || item.content.includes(needle)) hits++;
  }
  return hits / count;
}
