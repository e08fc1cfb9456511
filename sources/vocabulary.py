"""Words the corpus generator (``sources/generate.py``) builds names and text from."""


def _words(text: str, sep: str | None = None) -> list[str]:
    return [word.strip() for word in text.split(sep) if word.strip()]


FIRST_NAMES = _words(
    """
Aaliyah Abebe Ada Adebayo Aditi Adrian Ahmed Aiko Aisha Akira Alejandro Aleksandra
Alexei Alice Amara Amina Ananya Anders Andrea Aniket Anja Antoine Arjun Astrid
Ayesha Beatriz Benedikt Bilal Bogdan Bruno Camila Carlos Catalina Chen Chiara Chidi
Chloé Daniel Dario Deepa Diego Dmitri Elena Elif Emeka Emil Emma Esther Ewa Fatima
Felix Fernando Freya Gabriel Giulia Grace Hamza Hana Hannah Haruto Helena Hiroshi
Hugo Ibrahim Ifeoma Ines Ingrid Irina Isaac Ivan Jakob Jamal Javier Jia Jin Joana
Jonas Jorge Julia Jun Kai Kalinda Kamal Karin Kavya Kenji Kofi Lars Laura Leila Lena
Li Lin Lucas Lucía Luis Magnus Mai Malik Marco Maria Marta Mateo Mei Mehmet Mia
Mikhail Ming Mohammed Nadia Naledi Naoko Nasrin Nikhil Nina Noah Noor Oleksandr Olga
Omar Oscar Pablo Paolo Pedro Priya Qing Rafael Rahul Rania Ravi Rebecca Ricardo Rin
Rosa Ruth Sakura Samuel Sana Sara Sebastian Sergei Shira Siddharth Sofia Sun Tanvir
Tariq Thabo Theo Tomás Usha Valentina Vikram Wei Xin Yara Yasmin Yuki Yusuf Zainab
Zhang Zoe
"""
)

LAST_NAMES = _words(
    """
Abadi Achterberg Adeyemi Agarwal Ahn Akhtar Alvarez Andersson Araújo Arora Asante
Bakker Banerjee Barros Becker Bergström Bianchi Bose Brennan Castillo Chakraborty
Chan Chaudhry Chen Cho Costa Cruz Dasgupta Demir Dubois Eriksen Eze Farouk Fernandes
Fischer Fonseca Fujita Gallagher García Ghosh Gonzalez Gupta Haddad Hansen Hartmann
Hashemi Herrera Hoffmann Horvat Hossain Huang Ibrahim Ivanova Iyer Jansen Jensen
Joshi Kaplan Kapoor Kato Keller Khan Kim Kobayashi Kowalski Krishnan Kumar Kuznetsov
Larsen Laurent Lee Lehmann Levi Li Lim Lindqvist Liu López Lund Mahmoud Malik
Mancini Martins Matsumoto Mehta Mendoza Meyer Mishra Moreau Morales Mukherjee Müller
Murphy Nakamura Nguyen Nielsen Novak Nowak Nunes Obi Okafor Okonkwo Olsen Ortiz Osei
Otieno Öztürk Park Patel Pereira Petrov Popescu Quinn Rahman Ramos Rao Reddy Reyes
Richter Rossi Ruiz Saito Santos Sato Schmidt Schneider Sharma Shen Silva Singh
Sokolov Song Suzuki Takahashi Tanaka Tan Thomsen Torres Tran Vargas Varga Verma
Vogel Volkov Wagner Walker Wang Watanabe Weber Wong Wu Xu Yamamoto Yang Yilmaz Yoon
Zhang Zhao Zhou Zimmermann
"""
)

ROLES = [
    "AI researcher",
    "Machine learning researcher",
    "Research scientist",
    "Research engineer",
    "Computer scientist",
    "Statistician",
    "Cognitive scientist",
    "Roboticist",
    "Professor of computer science",
    "Doctoral researcher",
    "Software engineer",
    "Policy researcher",
]

AFFILIATION_ROLES = [
    "Research scientist",
    "Research engineer",
    "Professor",
    "Associate professor",
    "Postdoctoral researcher",
    "PhD student",
    "Team lead",
    "Member of technical staff",
    "Visiting researcher",
    "Director of research",
]

THEME_MODIFIERS = _words(
    """
Sparse Contrastive Generative Causal Federated Robust Multimodal Probabilistic
Bayesian Interpretable Efficient Continual Hierarchical Geometric Adversarial Neural
Symbolic Self-supervised Reinforcement Few-shot Distributed Differentiable Recurrent
Evolutionary Quantized Structured Scalable Safe Aligned Embodied Decentralized
"""
)

THEME_NOUNS = _words(
    """
attention learning inference planning retrieval pretraining optimization reasoning
representation alignment evaluation compression transfer search control perception
translation generation memory curricula interpretability robustness governance
tokenization fine-tuning distillation sampling exploration modelling benchmarks
agents
"""
)

ORG_PATTERNS = [
    "{city} Institute of Technology",
    "University of {city}",
    "{city} AI Lab",
    "{word} Research",
    "{word} Labs",
    "{word} AI",
    "{city} Centre for Machine Intelligence",
    "{word} Foundation",
    "{city} {word} Laboratory",
    "{word} Institute for {field}",
]

CITIES = _words(
    """
Aarhus Accra Adelaide Amsterdam Ankara Austin Bangalore Barcelona Beijing Berlin
Bogotá Boston Brisbane Cairo Cambridge Cape-Town Chennai Copenhagen Delhi Dublin
Edinburgh Geneva Hamburg Helsinki Hong-Kong Istanbul Jakarta Kyoto Lagos Lisbon
London Lyon Madrid Manchester Melbourne Mexico-City Milan Montréal Mumbai Munich
Nairobi Osaka Oslo Oxford Paris Pittsburgh Prague Québec Rome Santiago Seoul
Shanghai Singapore Stockholm Sydney Taipei Tallinn Tel-Aviv Tokyo Toronto Tübingen
Vancouver Vienna Warsaw Zürich
"""
)

ORG_WORDS = _words(
    """
Aurora Beacon Cobalt Delta Ember Fathom Gradient Helix Horizon Lattice Meridian
Nimbus Orbit Parallax Quanta Radiant Sierra Tensor Vector Zenith Polaris Cascade
Summit Kestrel Prism Vertex Atlas Boreal Cinder Dune
"""
)

WORK_PATTERNS = [
    "{Mod} {noun} with {noun2}",
    "{Mod} {noun} for {task}",
    "On the {property} of {mod} {noun}",
    "Towards {mod} {noun}",
    "{Name}: {mod} {noun} at scale",
    "Learning {noun} from {data}",
    "A study of {noun} in {task}",
    "{Mod} {noun} is all you need",
    "Scaling laws for {mod} {noun}",
    "{Name}: a benchmark for {task}",
    "Rethinking {noun} in {task}",
    "{Mod} {noun} without {noun2}",
]

TASKS = _words(
    """
language-modelling question-answering image-classification speech-recognition
machine-translation code-generation protein-folding robot-manipulation summarization
dialogue theorem-proving weather-forecasting drug-discovery video-understanding
recommendation chess game-playing music-generation document-retrieval
"""
)

PROPERTIES = _words(
    """
limits stability geometry emergence calibration sample-efficiency generalization
expressivity brittleness scaling dynamics
"""
)

DATA = _words(
    """
human-feedback web-text synthetic-data demonstrations unlabelled-video simulation
preferences code interaction
"""
)

SYSTEM_NAMES = _words(
    """
Aster Bolt Corvid Dynamo Egret Falcon Garnet Heron Ibis Jackdaw Kite Lumen Magpie
Nova Osprey Petrel Quill Raven Swift Tern Umbra Vireo Wren Xeno Yarrow Zephyr
"""
)

VENUES = [
    "NeurIPS",
    "ICML",
    "ICLR",
    "ACL",
    "EMNLP",
    "CVPR",
    "AAAI",
    "IJCAI",
    "JMLR",
    "TMLR",
    "arXiv",
    "Nature",
    "Science",
]

# Red links: notions a page may name before anyone writes them up.
MISSING_TOPICS = _words(
    """
Loss-landscape cartography|Gradient noise scale|Token budget accounting
|Latent world simulators|Reward hacking taxonomies|Sparse expert routing
|Curriculum collapse|Benchmark saturation|Data provenance ledgers|Model welfare
|Compute governance treaties|Activation steering|Grokking dynamics
|Long-context recall|Synthetic data feedback loops|Evaluation contamination
|Tool-use protocols|Speculative decoding|Mechanistic circuits|Weight averaging
""".replace("\n", ""),
    "|",
)

NEWS_OUTLETS = [
    "The Gradient",
    "MIT Technology Review",
    "Wired",
    "The Verge",
    "Quanta Magazine",
    "Financial Times",
    "The Atlantic",
]
