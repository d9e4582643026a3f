namespace MetaLearn; internal static class Placeholder { }
